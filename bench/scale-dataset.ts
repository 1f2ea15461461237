import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { PartitionInterval } from '../src/model/partition-interval.js';
import { defaultMachines } from './scale-records.js';
import type { Backend } from './options.js';
import { withDatabase } from './pg-database.js';

/** What names a scale dataset: the same parameters always make the same records. */
export interface ScaleSpec {
  records: number;
  seed: number;
  machines: number;
  /** PostgreSQL only; SQLite has no partitions. */
  partitionInterval: PartitionInterval;
}

/** What the generator wrote down beside the data, so a later run reads the same 90 days. */
export interface ScaleMeta {
  name: string;
  backend: Backend;
  spec: ScaleSpec;
  /** The end of the 90 days the records span (µs); the reads' "now". */
  endUs: number;
  /** Records stored so far; equal to spec.records once complete. */
  stored: number;
  /** Seconds spent generating, over every run that added records. */
  seconds: number;
}

/** Where one backend's dataset lives. */
export interface ScaleDataset {
  name: string;
  backend: Backend;
  spec: ScaleSpec;
  /** The Tally data directory (SQLite: tally.db is there; PostgreSQL: unused but required). */
  dataDir: string;
  /** PostgreSQL: the dataset's database; null for SQLite. */
  databaseUrl: string | null;
  /** PostgreSQL: the database's name; null for SQLite. */
  databaseName: string | null;
  metaFile: string;
}

/** The spec of `--records`, `--seed`, `--machines` and `--partition-interval`. */
export function scaleSpec(options: { records: number | null; seed: number; machines: number | null; partitionInterval: PartitionInterval }): ScaleSpec {
  const records = options.records ?? 1_000_000;
  return { records, seed: options.seed, machines: options.machines ?? defaultMachines(records), partitionInterval: options.partitionInterval };
}

/** `scale_200000_s1`, with the machines when not the default, and the partition interval (PostgreSQL) when not month. */
export function datasetName(spec: ScaleSpec, backend: Backend): string {
  const machines = spec.machines === defaultMachines(spec.records) ? '' : `_m${spec.machines}`;
  const interval = backend === 'postgres' && spec.partitionInterval !== 'month' ? `_${spec.partitionInterval}` : '';
  return `scale_${spec.records}_s${spec.seed}${machines}${interval}`;
}

/** The dataset of `spec` on `backend`, under `root` (SQLite) or in database `tally_<name>` on `serverUrl`. */
export function scaleDataset(spec: ScaleSpec, backend: Backend, root: string, serverUrl: string): ScaleDataset {
  const name = datasetName(spec, backend);
  const dataDir = path.resolve(root, `${name}-${backend}`);
  const databaseName = backend === 'postgres' ? `tally_${name}` : null;
  return {
    name, backend, spec, dataDir, databaseName,
    databaseUrl: databaseName === null ? null : withDatabase(serverUrl, databaseName),
    metaFile: path.join(dataDir, 'dataset.json'),
  };
}

export function readMeta(dataset: ScaleDataset): ScaleMeta | null {
  if (!existsSync(dataset.metaFile)) return null;
  return JSON.parse(readFileSync(dataset.metaFile, 'utf8')) as ScaleMeta;
}

export function writeMeta(dataset: ScaleDataset, meta: ScaleMeta): void {
  writeFileSync(dataset.metaFile, `${JSON.stringify(meta, null, 2)}\n`);
}

/** Makes the data directory and, on PostgreSQL, the database (kept afterwards: it is the dataset). */
export async function prepareDataset(dataset: ScaleDataset, serverUrl: string): Promise<void> {
  await mkdir(dataset.dataDir, { recursive: true });
  if (dataset.databaseName === null) return;
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dataset.databaseName]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${dataset.databaseName}`);
  } finally {
    await client.end();
  }
}
