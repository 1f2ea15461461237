import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { NewTelemetryRecord } from '../src/model/record.js';
import type { Store } from '../src/store/contract/store.js';
import type { OpenStoreOptions } from '../src/store/open-store.js';
import { insightsRecord, seededRandom } from './insights-records.js';

/**
 * SQLite ingest through `store.telemetry.insertMany`, no HTTP, alternating two builds so that a
 * busy machine's drift falls on both: `node dist/bench/store-ingest-ab.js BEFORE_DIST AFTER_DIST`
 * (each a built `dist/` directory, e.g. a copy of main's). Per pair: batches of `--batch` records
 * (fleet-like, varied license keys: bench/insights-records.ts), then `--singles` calls of one
 * record each; a fresh database each run, synchronous OFF (no fsync noise), writer thread on as
 * the server runs it. `--interleave N` opens both builds' stores at once and alternates N records
 * into one and N into the other (for a busy machine: drift then falls on both alike). Prints
 * records/s per run and after/before ratios. Written for issue 19's
 * per-license counts (docs/performance.md); any two builds with the same record shape will do.
 */
type OpenStore = (options: OpenStoreOptions) => Promise<Store>;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pairs: { type: 'string', default: '3' },
    records: { type: 'string', default: '300000' },
    batch: { type: 'string', default: '500' },
    singles: { type: 'string', default: '20000' },
    interleave: { type: 'string', default: '0' },
  },
});
const [beforeDist, afterDist] = positionals;
if (beforeDist === undefined || afterDist === undefined) throw new Error('usage: store-ingest-ab.js BEFORE_DIST AFTER_DIST [--pairs 3] [--records 300000] [--batch 500] [--singles 20000]');
const TOTAL = Number(values.records);
const BATCH = Number(values.batch);
const SINGLES = Number(values.singles);
/** 0: one build's run after the other's. N: both stores open at once, N records into one, then N into the other, so drift falls on both alike. */
const INTERLEAVE = Number(values.interleave);

async function opener(dist: string): Promise<OpenStore> {
  const module = (await import(path.resolve(dist, 'src/store/open-store.js'))) as { openStore: OpenStore };
  return module.openStore;
}

/** Records/s of inserting `records` in calls of `size`, into a fresh database. */
async function run(open: OpenStore, records: readonly NewTelemetryRecord[], size: number): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-ab-'));
  const store = await open({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'OFF', sqliteWriterThread: true });
  try {
    const started = process.hrtime.bigint();
    for (let i = 0; i < records.length; i += size) await store.telemetry.insertMany(records.slice(i, i + size));
    return records.length / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records/s of each build inserting `records` in calls of `size`, both at once: `chunk` records into one store, then into the other. */
async function interleaved(opens: readonly [OpenStore, OpenStore], records: readonly NewTelemetryRecord[], size: number, chunk: number): Promise<[number, number]> {
  const dirs = opens.map(() => mkdtempSync(path.join(os.tmpdir(), 'tally-ab-')));
  const stores = await Promise.all(opens.map((open, i) => open({ databaseUrl: null, dataDir: dirs[i] as string, sqliteSynchronous: 'OFF', sqliteWriterThread: true })));
  const spent = [0, 0];
  try {
    for (let from = 0, turn = 0; from < records.length; from += chunk, turn++) {
      for (const b of turn % 2 === 0 ? [0, 1] : [1, 0]) {
        const store = stores[b] as Store;
        const started = process.hrtime.bigint();
        for (let i = from; i < Math.min(from + chunk, records.length); i += size) await store.telemetry.insertMany(records.slice(i, Math.min(i + size, from + chunk)));
        spent[b] = (spent[b] ?? 0) + Number(process.hrtime.bigint() - started) / 1e9;
      }
    }
    return [records.length / (spent[0] ?? 1), records.length / (spent[1] ?? 1)];
  } finally {
    for (const store of stores) await store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const endUs = Date.now() * 1000;
const random = seededRandom(7);
const records = Array.from({ length: TOTAL }, (_, i) => insightsRecord(i, TOTAL, endUs, random));
const singles = records.slice(0, SINGLES);
const builds = { before: await opener(beforeDist), after: await opener(afterDist) };
const ratios: { batch: number; single: number }[] = [];
for (let pair = 0; pair < Number(values.pairs); pair++) {
  // ABBA: the first of a pair alternates, so a steady drift does not always favour one build.
  const order = pair % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
  const rate = { before: { batch: 0, single: 0 }, after: { batch: 0, single: 0 } };
  if (INTERLEAVE > 0) {
    const opens = [builds[order[0]], builds[order[1]]] as const;
    const batch = await interleaved(opens, records, BATCH, INTERLEAVE);
    const single = await interleaved(opens, singles, 1, INTERLEAVE);
    order.forEach((build, i) => (rate[build] = { batch: batch[i] as number, single: single[i] as number }));
  } else {
    for (const build of order) rate[build].batch = await run(builds[build], records, BATCH);
    for (const build of order) rate[build].single = await run(builds[build], singles, 1);
  }
  ratios.push({ batch: rate.after.batch / rate.before.batch, single: rate.after.single / rate.before.single });
  const f = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(`pair ${pair + 1}: batch ${BATCH} before ${f(rate.before.batch)} after ${f(rate.after.batch)} rec/s (×${(rate.after.batch / rate.before.batch).toFixed(2)}); `
    + `single before ${f(rate.before.single)} after ${f(rate.after.single)} rec/s (×${(rate.after.single / rate.before.single).toFixed(2)}); load ${os.loadavg()[0]?.toFixed(2)}`);
}
const mean = (xs: number[]): string => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
console.log(`after/before, mean of ${ratios.length} pairs: batch ×${mean(ratios.map((r) => r.batch))}, single ×${mean(ratios.map((r) => r.single))}`);
