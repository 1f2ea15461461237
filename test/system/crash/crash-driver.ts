import fs from 'node:fs';
import { NO_AUDIT } from '../../audit-helpers.js';
import os from 'node:os';
import path from 'node:path';
import { createApiKey } from '../../../src/registry/api-keys.js';
import { openStore, type OpenStoreOptions } from '../../../src/store/open-store.js';
import { dropSchemas, randomName, TEST_DATABASE_URL } from '../../postgres-helpers.js';
import { Load, type LoadTally, type ReportFields } from './load.js';
import { killTally, startTally, stopTally, type ServeTarget, type TallyProcess } from './tally-process.js';

export type Backend = 'sqlite' | 'postgres';

/** One store made for a crash run: where `tally serve` finds it, and how the test opens it. */
export interface CrashStore {
  backend: Backend;
  target: ServeTarget;
  open: OpenStoreOptions;
  /** PostgreSQL: the `application_name` of the server's connections (for pg_terminate_backend). */
  applicationName: string;
  apiKey: string;
  productId: number;
  dispose(): Promise<void>;
}

/**
 * A fresh store with one product (version 1.0.0) and one API key: a new data dir for SQLite, a
 * new schema for PostgreSQL. `databaseUrl` lets a test route Tally through a proxy; `dataDir`
 * puts the SQLite data somewhere chosen (a small filesystem).
 */
export async function createCrashStore(backend: Backend, where: { databaseUrl?: string; dataDir?: string } = {}): Promise<CrashStore> {
  const databaseUrl = where.databaseUrl ?? TEST_DATABASE_URL;
  const dataDir = where.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `tally-crash-${backend}-`));
  const schema = randomName('tally_crash');
  const open: OpenStoreOptions = backend === 'sqlite'
    ? { databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' }
    : { databaseUrl: TEST_DATABASE_URL, dataDir, sqliteSynchronous: 'FULL', schema };
  const store = await openStore(open);
  let seeded: { apiKey: string; productId: number };
  try {
    const product = await store.registry.createProduct({ name: 'Crash', versions: ['1.0.0'] });
    const { secret } = await createApiKey(store.registry, { name: 'crash' }, NO_AUDIT);
    seeded = { apiKey: secret, productId: product.id };
  } finally {
    await store.close();
  }
  const applicationName = schema;
  let url: string | null = null;
  if (backend === 'postgres') {
    const parsed = new URL(databaseUrl);
    parsed.searchParams.set('options', `-c search_path=${schema}`);
    parsed.searchParams.set('application_name', applicationName);
    url = parsed.toString();
  }
  return {
    backend, open, applicationName, ...seeded,
    target: { dataDir, databaseUrl: url },
    dispose: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') await dropSchemas([schema]);
    },
  };
}

/** Every marker stored, in id order (read through the store, as `tally export` would). */
export async function storedMarkers(open: OpenStoreOptions): Promise<string[]> {
  const store = await openStore(open);
  try {
    const markers: string[] = [];
    let afterId = 0;
    for (;;) {
      const page = await store.telemetry.list({ afterId, limit: 5000 });
      if (page.length === 0) return markers;
      for (const record of page) {
        const marker = record.metadata['crash_marker'];
        if (typeof marker === 'string') markers.push(marker);
      }
      afterId = page[page.length - 1]!.id;
    }
  } finally {
    await store.close();
  }
}

/** The invariant: every acknowledged marker stored exactly once, and no marker stored twice. */
export interface Verdict {
  acknowledged: number;
  stored: number;
  /** Stored but never acknowledged (a commit whose answer was lost to a kill: allowed). */
  storedUnacknowledged: number;
  /** Acknowledged but not stored: must be empty. */
  lost: string[];
  /** Stored more than once: must be empty. */
  duplicated: string[];
}

export function verdict(acknowledged: readonly string[], stored: readonly string[]): Verdict {
  const seen = new Set<string>();
  const duplicated: string[] = [];
  for (const marker of stored) {
    if (seen.has(marker)) duplicated.push(marker);
    seen.add(marker);
  }
  const acked = new Set(acknowledged);
  return {
    acknowledged: acknowledged.length,
    stored: stored.length,
    storedUnacknowledged: [...seen].filter((m) => !acked.has(m)).length,
    lost: acknowledged.filter((m) => !seen.has(m)),
    duplicated,
  };
}

/** A disruption besides SIGKILLing Tally, run while the load goes on (e.g. restart PostgreSQL). */
export interface Disruption {
  /** Which kill round it replaces: the driver runs it instead of a SIGKILL at that point. */
  name: string;
  run(): Promise<void>;
}

export interface CrashRunOptions {
  kills: number;
  clients: number;
  /** Reports per request: 0 = single reports; more = batch requests of that many. */
  batchSize?: number;
  /** What each report says (default: one text report of the store's product, the same machine). */
  fields?: ReportFields;
  /** A kill comes after a random number of new acknowledgements in [min, max]: counted, not timed. */
  acknowledgedBetweenKills: [number, number];
  /** Disruptions, spread over the run; after each the same server must recover by itself. */
  disruptions?: Disruption[];
  /** How long to wait for the next acknowledgements before failing. */
  stallTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface CrashRunResult extends Verdict {
  kills: number;
  disruptions: number;
  /** ms from a restart's spawn to its first acknowledgement. */
  restartMs: number[];
  /** ms from the end of each disruption to the next acknowledgement, by the same server process. */
  recoveryMs: number[];
  load: LoadTally;
}

/**
 * Drives ingest with `clients` keep-alive clients and SIGKILLs `tally serve` at random points
 * (after a random number of acknowledgements), restarting it on the same data each time, then
 * reads the store and returns the verdict. Disruptions (if any) run at evenly spread rounds
 * instead of a kill, against the running server.
 */
export async function runCrashScenario(store: CrashStore, options: CrashRunOptions): Promise<CrashRunResult> {
  const log = options.log ?? (() => undefined);
  const stallMs = options.stallTimeoutMs ?? 30_000;
  const disruptions = [...(options.disruptions ?? [])];
  const rounds = options.kills + disruptions.length;
  const disruptAt = new Map<number, Disruption>();
  disruptions.forEach((d, i) => disruptAt.set(Math.floor(((i + 1) * rounds) / (disruptions.length + 1)), d));
  const load = new Load(store, options.clients, `${store.backend}-${Date.now().toString(36)}`, options.batchSize ?? 0, options.fields ?? null);
  const result: CrashRunResult = { kills: 0, disruptions: 0, restartMs: [], recoveryMs: [], load: load.tally, ...verdict([], []) };
  let tally: TallyProcess = await startTally(store.target);
  load.setUrl(tally.url);
  load.start();
  try {
    const [min, max] = options.acknowledgedBetweenKills;
    for (let round = 0; round < rounds; round++) {
      await load.untilAcknowledged(load.tally.acknowledged.length + min + Math.floor(Math.random() * (max - min + 1)), stallMs);
      const disruption = disruptAt.get(round);
      if (disruption !== undefined) {
        const began = performance.now();
        await disruption.run();
        const ended = performance.now();
        await load.untilAcknowledged(load.tally.acknowledged.length + 1, stallMs);
        result.recoveryMs.push(Math.round(performance.now() - ended));
        result.disruptions++;
        if (tally.child.exitCode !== null || tally.child.signalCode !== null) throw new Error(`tally serve exited during "${disruption.name}"`);
        log(`${disruption.name}: took ${Math.round(ended - began)} ms, first acknowledgement ${result.recoveryMs.at(-1)} ms after it (${load.tally.acknowledged.length} acknowledged, ${load.count('503/503')} answers 503 so far)`);
        continue;
      }
      await killTally(tally);
      load.setUrl(null);
      result.kills++;
      const spawned = performance.now();
      tally = await startTally(store.target);
      load.setUrl(tally.url);
      await load.untilAcknowledged(load.tally.acknowledged.length + 1, stallMs);
      result.restartMs.push(Math.round(performance.now() - spawned));
      log(`kill ${result.kills}: restarted, first acknowledgement after ${result.restartMs.at(-1)} ms (${load.tally.acknowledged.length} acknowledged)`);
    }
    await load.untilAcknowledged(load.tally.acknowledged.length + options.acknowledgedBetweenKills[0], stallMs);
  } finally {
    await load.stop();
    await stopTally(tally).catch(() => undefined);
  }
  return { ...result, ...verdict(load.tally.acknowledged, await storedMarkers(store.open)) };
}

/** One line of counts for logs and docs. */
export function describeRun(result: CrashRunResult): string {
  const answers = [...result.load.answers].map(([k, v]) => `${k}×${v}`).join(' ');
  return `kills ${result.kills}, disruptions ${result.disruptions}, sent ${result.load.sent}, acknowledged ${result.acknowledged}, ` +
    `stored ${result.stored} (${result.storedUnacknowledged} stored without acknowledgement), lost ${result.lost.length}, ` +
    `duplicated ${result.duplicated.length}, connection errors ${result.load.connectionErrors}, answers ${answers}, ` +
    `restart→first ack ms [${result.restartMs.join(', ')}], recovery ms [${result.recoveryMs.join(', ')}]`;
}
