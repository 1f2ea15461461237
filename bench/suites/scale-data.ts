import { loadConfig, type Config } from '../../src/config/config.js';
import { nowMicros } from '../../src/model/clock.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { existsSync } from 'node:fs';
import { grownTables, pgDataDirectory, pgTableSizes, sqliteFileBytes, sqliteTableSizes, type TableSize } from '../database-size.js';
import { diskRefusal, freeBytes, gb } from '../disk-space.js';
import type { Backend } from '../options.js';
import { prepareDataset, readMeta, scaleDataset, scaleSpec, writeMeta, type ScaleDataset, type ScaleMeta, type ScaleSpec } from '../scale-dataset.js';
import { SCALE_SPAN_US, scaleRecord } from '../scale-records.js';
import { seededRandom } from '../summary-records.js';

/** Records per insertMany: one transaction each; a dataset grows by whole chunks, so a rerun resumes at one. */
export const CHUNK = 25_000;
const PROGRESS_EVERY_S = 10;
const log = (line: string): void => console.log(line);

export interface ScaleDataOptions {
  records: number | null;
  seed: number;
  machines: number | null;
  partitionInterval: ScaleSpec['partitionInterval'];
  backends: Backend[];
  dataDir: string | null;
  databaseUrl: string;
}

/** `npm run bench -- scale-data`: makes (or completes) the dataset on each backend and prints its size. */
export async function runScaleDataSuite(options: ScaleDataOptions): Promise<boolean> {
  const spec = scaleSpec(options);
  for (const backend of options.backends) {
    const dataset = scaleDataset(spec, backend, options.dataDir ?? 'bench-data', options.databaseUrl);
    if ((await ensureScaleDataset(dataset, options.databaseUrl)) === null) return false;
  }
  return true;
}

/** The dataset's settings for a Tally reading or writing it; `synchronous=OFF` only matters to the generator. */
export function datasetConfig(dataset: ScaleDataset, extra: Record<string, unknown> = {}): Config {
  return loadConfig({
    dataDir: dataset.dataDir, databaseUrl: dataset.databaseUrl, logLevel: 'silent', sqliteSynchronous: 'OFF',
    partitionInterval: dataset.spec.partitionInterval, ...extra,
  }, {});
}

/**
 * Generates the records the dataset still lacks (all of them the first time) and returns its
 * meta, or null when the disk could not hold them (nothing is written then).
 */
export async function ensureScaleDataset(dataset: ScaleDataset, serverUrl: string): Promise<ScaleMeta | null> {
  log(`\n== ${dataset.backend}: dataset ${dataset.name} (${dataset.spec.records.toLocaleString('en-US')} records, ` +
    `${dataset.spec.machines.toLocaleString('en-US')} machines, seed ${dataset.spec.seed})` +
    (dataset.databaseName === null ? ` in ${dataset.dataDir}` : ` in database ${dataset.databaseName}`));
  await prepareDataset(dataset, serverUrl);
  const meta = readMeta(dataset) ?? { name: dataset.name, backend: dataset.backend, spec: dataset.spec, endUs: nowMicros(), stored: 0, seconds: 0 };
  const missing = dataset.spec.records - meta.stored;
  if (missing <= 0) {
    log(`already complete (made in ${meta.seconds.toFixed(0)} s); reused`);
    return meta;
  }
  const free = await freeBytes(await dataDirectory(dataset));
  const refusal = diskRefusal(dataset.backend, missing, free);
  if (refusal !== null) {
    log(refusal);
    return null;
  }
  log(`${gb(free)} free; ${meta.stored > 0 ? `resuming at record ${meta.stored.toLocaleString('en-US')}` : 'starting'}`);
  const store = await openStore(datasetConfig(dataset));
  const before = await tableSizes(dataset);
  try {
    if (meta.stored === 0) await preparePartitions(store, dataset.spec, meta.endUs);
    await fill(store, dataset, meta);
  } finally {
    await store.close();
  }
  printSizes(dataset, before, await tableSizes(dataset));
  return meta;
}

/** The directory whose file system the data goes to: PostgreSQL's data directory when it may be read, else `/`. */
async function dataDirectory(dataset: ScaleDataset): Promise<string> {
  if (dataset.databaseUrl === null) return dataset.dataDir;
  const found = await pgDataDirectory(dataset.databaseUrl).catch(() => null);
  return found !== null && existsSync(found) ? found : '/';
}

/** PostgreSQL: partitions of the dataset's interval over the whole 90 days, as a server running all along would have made. */
async function preparePartitions(store: Store, spec: ScaleSpec, endUs: number): Promise<void> {
  const ahead = { month: 4, week: 14, day: 91 }[spec.partitionInterval];
  await store.maintainTelemetry({ nowUs: endUs - SCALE_SPAN_US, retentionDays: 0, partitionInterval: spec.partitionInterval, partitionsAhead: ahead });
}

/** Adds chunks from `meta.stored` on, writing the meta after each, so an interrupted run resumes where it stopped. */
async function fill(store: Store, dataset: ScaleDataset, meta: ScaleMeta): Promise<void> {
  const { records, machines, seed } = dataset.spec;
  meta.stored = await resumePoint(store, dataset, meta);
  const startedAt = performance.now();
  const firstStored = meta.stored;
  let lastLog = startedAt;
  for (let from = meta.stored; from < records; from += CHUNK) {
    const chunkStart = performance.now();
    // One seed per chunk: a resumed run makes exactly the records an uninterrupted one would have.
    const random = seededRandom(seed * 1_000_003 + from / CHUNK);
    const chunk = Array.from({ length: Math.min(CHUNK, records - from) }, (_, k) => scaleRecord(from + k, records, meta.endUs, machines, random));
    await store.telemetry.insertMany(chunk);
    const now = performance.now();
    meta.stored = from + chunk.length;
    meta.seconds += (now - chunkStart) / 1000;
    writeMeta(dataset, meta);
    if (now - lastLog >= PROGRESS_EVERY_S * 1000 || meta.stored === records) {
      const rate = (meta.stored - firstStored) / ((now - startedAt) / 1000);
      log(`  … ${meta.stored.toLocaleString('en-US')} records, ${Math.round(rate).toLocaleString('en-US')}/s, ` +
        `${Math.round((records - meta.stored) / rate)} s to go`);
      lastLog = now;
    }
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const made = records - firstStored;
  log(`generated ${made.toLocaleString('en-US')} records in ${seconds.toFixed(0)} s (${Math.round(made / seconds).toLocaleString('en-US')}/s, ` +
    `insertMany of ${CHUNK.toLocaleString('en-US')} per transaction${dataset.backend === 'sqlite' ? ', --sqlite-synchronous OFF' : ''})`);
}

/**
 * Where to go on: the records stored, when they are whole chunks of this dataset (a run stopped
 * between a commit and writing dataset.json leaves one more chunk than the file says).
 */
async function resumePoint(store: Store, dataset: ScaleDataset, meta: ScaleMeta): Promise<number> {
  const found = await store.telemetry.count();
  if (found === meta.stored) return found;
  const wholeChunks = found % CHUNK === 0 || found === dataset.spec.records;
  if (meta.stored > 0 && found > meta.stored && wholeChunks) return found;
  throw new Error(`${dataset.name} holds ${found} records, its dataset.json says ${meta.stored}: ` +
    `remove ${dataset.dataDir}${dataset.databaseName === null ? '' : ` and drop database ${dataset.databaseName}`}, then start again`);
}

async function tableSizes(dataset: ScaleDataset): Promise<TableSize[]> {
  return dataset.databaseUrl === null ? sqliteTableSizes(dataset.dataDir) : pgTableSizes(dataset.databaseUrl);
}

function printSizes(dataset: ScaleDataset, before: readonly TableSize[], after: readonly TableSize[]): void {
  const total = dataset.databaseUrl === null ? sqliteFileBytes(dataset.dataDir) : after.reduce((sum, row) => sum + row.bytes, 0);
  log(`size on disk: ${gb(total)} (${dataset.databaseUrl === null ? 'tally.db and its WAL' : 'every table of the database, indexes included'}), ` +
    `${Math.round(total / dataset.spec.records)} B per record`);
  const sizes = new Map(after.map((row) => [row.table, row.bytes]));
  for (const grown of grownTables(before, after)) {
    log(`  ${grown.table.padEnd(32)} ${gb(sizes.get(grown.table) ?? 0).padStart(10)}  (+${gb(grown.bytes)})`);
  }
}
