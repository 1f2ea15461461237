import path from 'node:path';
import type { Check } from './checks.js';
import { measure, type LoadOptions, type LoadSummary } from './load.js';
import { stopChild } from './processes.js';
import { createTallyFixture, readBack, type TallyFixture } from './tally-fixture.js';
import { startTally } from './tally-server.js';

export const BATCH_PATH = '/api/v1/send-telemetry-data-batch';
/** Reports per batch request: the server's default --batch-max-reports. */
export const BATCH_SIZE = 500;
/** Fewer connections than the single-report run: each carries 500 reports. */
export const BATCH_CONNECTIONS = 8;
/** Issue 7's target on SQLite. */
export const BATCH_TARGET_RECORDS_PER_SECOND = 100_000;
/**
 * The two server settings measured: the defaults (a batch of 500 fills a commit group alone), and
 * a larger commit group, so several batches share one transaction and its fsync.
 */
const SETTINGS: readonly { label: string; args: string[] }[] = [
  { label: 'defaults', args: [] },
  { label: '--commit-max-batch 4000', args: ['--commit-max-batch', '4000'] },
];

export interface BatchRun {
  label: string;
  load: LoadSummary;
  recordsPerSecond: number;
  checks: Check[];
}

/** A JSON array of BATCH_SIZE correct reports (no event_id: autocannon resends the same bodies, and each must be stored). */
function batchBody(fixture: TallyFixture, offset: number): string {
  return JSON.stringify(Array.from({ length: BATCH_SIZE }, (_, i) => ({
    data_type: 'numeric-single-value', numeric_data_single_value: String(offset + (i % 100)), product_id: fixture.productId,
    user_identifier: '554dddsqfqs4dqd5qsd74q', license_key: fixture.licenseKey, activation_identifier: fixture.activationIdentifier,
    product_version: fixture.productVersion, data_group: 'test_group',
  })));
}

/** Batch ingestion on SQLite with each of SETTINGS, each on a fresh data dir. */
export async function measureBatchIngest(dataDir: string, options: LoadOptions & { cpuProfDir: string | null }): Promise<BatchRun[]> {
  const runs: BatchRun[] = [];
  for (const [i, setting] of SETTINGS.entries()) runs.push(await measureOne(path.join(dataDir, `sqlite-batch-${i}`), setting, options));
  return runs;
}

/**
 * `tally serve` on a fresh SQLite data dir under batch load: BATCH_SIZE reports per request over
 * BATCH_CONNECTIONS connections, then checks that every acknowledged batch is stored whole.
 */
async function measureOne(dataDir: string, setting: (typeof SETTINGS)[number], options: LoadOptions & { cpuProfDir: string | null }): Promise<BatchRun> {
  const storage = { dataDir, databaseUrl: null };
  const fixture = await createTallyFixture(storage);
  const bodies = [0, 100, 200, 300].map((offset) => batchBody(fixture, offset));
  const tally = await startTally(storage, options.cpuProfDir, setting.args);
  const label = `batch (sqlite, ${setting.label})`;
  let load: LoadSummary;
  try {
    console.log(`tally ${label}: ${BATCH_SIZE} reports per request, ${options.warmup} s warm-up + ${options.duration} s at ${BATCH_CONNECTIONS} connections`);
    load = await measure(label, tally.baseUrl, bodies, { ...options, connections: BATCH_CONNECTIONS },
      { path: `${BATCH_PATH}?api_key=${encodeURIComponent(fixture.apiKey)}`, contentType: 'application/json' }, tally.child.process.pid);
  } finally {
    await stopChild(tally.child);
  }
  const stored = (await readBack(storage)).records;
  const expected = load.acknowledged * BATCH_SIZE;
  const checks: Check[] = [
    // Batches still in flight when the load stopped are stored too, so ≥; whole batches only, so a multiple of BATCH_SIZE.
    { name: `${label}: every acknowledged batch is stored whole`, ok: stored >= expected && stored % BATCH_SIZE === 0, detail: `${stored} records stored, ${load.acknowledged} 2xx batches × ${BATCH_SIZE}` },
    { name: `${label}: no non-2xx answers`, ok: load.rejected === 0, detail: `${load.rejected} non-2xx answers` },
  ];
  return { label, load, recordsPerSecond: load.requestsPerSecond * BATCH_SIZE, checks };
}

/** Batch records/s beside single-report req/s, against the target. */
export function formatBatch(runs: readonly BatchRun[], single: LoadSummary | undefined): string {
  const lines = runs.map((run) => {
    const verdict = run.recordsPerSecond >= BATCH_TARGET_RECORDS_PER_SECOND ? 'met' : 'NOT met';
    return `${run.label}: ${run.load.requestsPerSecond.toFixed(1)} batches/s × ${BATCH_SIZE} = ${run.recordsPerSecond.toFixed(0)} records/s` +
      ` (p50 ${run.load.p50Ms.toFixed(1)} ms, p99 ${run.load.p99Ms.toFixed(1)} ms per batch; target ≥ ${BATCH_TARGET_RECORDS_PER_SECOND} records/s: ${verdict})` +
      cpuNote(run.load, run.load.total * BATCH_SIZE);
  });
  if (single !== undefined) lines.push(`single reports (sqlite): ${single.requestsPerSecond.toFixed(0)} req/s = ${single.requestsPerSecond.toFixed(0)} records/s`);
  return lines.join('\n');
}

/**
 * How much CPU the server spent per record, and how busy the whole machine was: on a machine
 * whose speed swings from run to run, µs per record is the steadier figure, and a machine near
 * 100 % busy says the load generator and the server were sharing too few cores.
 */
export function cpuNote(load: LoadSummary, count: number, unit: 'record' | 'request' = 'record'): string {
  if (load.cpu === null || count === 0) return '';
  const usEach = (load.cpu.processSeconds * 1e6) / count;
  return `\n  tally used ${(load.cpu.processSeconds / load.seconds).toFixed(2)} cores = ${usEach.toFixed(1)} µs of CPU per ${unit}; machine ${(load.cpu.machineBusy * 100).toFixed(0)} % busy`;
}
