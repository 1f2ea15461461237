import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { makeStreamingReplica, type StreamingReplica } from '../../test/pg-replica.js';
import type { Check } from '../checks.js';
import { onCleanup } from '../cleanup.js';
import { ingestBodies, ingestBody, postIngest } from '../ingest-requests.js';
import { LatencyRecorder } from '../latency.js';
import { measure, type LoadSummary } from '../load.js';
import type { BenchOptions } from '../options.js';
import { createThrowawayDatabase } from '../pg-database.js';
import { stopChild } from '../processes.js';
import { formatChecks } from '../report.js';
import { createTallyFixture, type TallyFixture } from '../tally-fixture.js';
import { startTally, type TallyServer } from '../tally-server.js';

/** The goal: a report acknowledged on the primary is readable on the replica within 1 s at p99. */
const GOAL_P99_MS = 1000;
/** Pause between two samples, so the sampler adds little load of its own. */
const SAMPLE_PAUSE_MS = 50;

const log = (line: string): void => console.log(line);

/**
 * `npm run bench -- replica`: a streaming replica of the PostgreSQL server (made with
 * pg_basebackup like the tests', removed afterwards), `tally serve` on a throwaway database with
 * `--read-database-url` at it, the ingest load of the ingest suite on the primary through Tally,
 * and meanwhile one report after another sent and acknowledged, then looked for on the replica
 * until it is there: the time from acknowledgement to visibility, p50/p99.
 */
export async function runReplicaSuite(options: BenchOptions): Promise<boolean> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tally-bench-'));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  const forget = onCleanup(removeDir);
  const database = await createThrowawayDatabase(options.databaseUrl);
  let replica: StreamingReplica | null = null;
  let server: TallyServer | null = null;
  try {
    const storage = { dataDir, databaseUrl: database.url };
    const fixture = await createTallyFixture(storage);
    replica = await makeStreamingReplica(database.url);
    log(`\nreplica: streaming standby of ${new URL(database.url).host} on port ${new URL(replica.url).port}, database ${database.name}`);
    server = await startTally(storage, null, ['--read-database-url', replica.url]);
    const { load, lags } = await loadAndSample(server.baseUrl, fixture, replica.url, options);
    const readyz = await (await fetch(`${server.baseUrl}/readyz`)).text();
    return report(load, lags, readyz);
  } finally {
    if (server !== null) await stopChild(server.child);
    await replica?.remove();
    await database.drop();
    forget();
    removeDir();
  }
}

/** The load for warm-up + duration, and the samples taken during the measured part. */
async function loadAndSample(baseUrl: string, fixture: TallyFixture, replicaUrl: string, options: BenchOptions): Promise<{ load: LoadSummary; lags: LatencyRecorder }> {
  const replicaClient = new pg.Client({ connectionString: replicaUrl });
  await replicaClient.connect();
  const lags = new LatencyRecorder();
  let loading = true;
  try {
    const load = measure('tally serve (postgres, replica reading)', baseUrl, ingestBodies(fixture), options).finally(() => {
      loading = false;
    });
    await new Promise((resolve) => setTimeout(resolve, options.warmup * 1000));
    for (let n = 0; loading; n++) {
      const lag = await sampleLag(baseUrl, fixture, replicaClient, n);
      if (lag !== null) lags.record(lag);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_PAUSE_MS));
    }
    return { load: await load, lags };
  } finally {
    await replicaClient.end();
  }
}

/**
 * One report with a value no load report has (a negative one), sent and acknowledged; then the
 * replica asked back to back until it holds it. Ms from the acknowledgement to the first answer
 * that shows it, or null when the report was not acknowledged.
 */
async function sampleLag(baseUrl: string, fixture: TallyFixture, replica: pg.Client, n: number): Promise<number | null> {
  const value = -(n + 1);
  const answer = await postIngest(baseUrl, ingestBody(fixture, value));
  if (answer.status !== 200) return null;
  const acknowledged = performance.now();
  for (;;) {
    const { rows } = await replica.query('SELECT 1 FROM telemetry WHERE product_id = $1 AND data_group = $2 AND numeric_data_single_value = $3 LIMIT 1', [fixture.productId, 'test_group', value]);
    if (rows.length > 0) return performance.now() - acknowledged;
  }
}

function report(load: LoadSummary, lags: LatencyRecorder, readyz: string): boolean {
  const [p50 = 0, p99 = 0, max = 0] = lags.percentiles(50, 99, 100);
  const count = lags.count;
  const checks: Check[] = [
    { name: 'samples taken', ok: count > 0, detail: `${count} acknowledged reports looked for on the replica` },
    { name: `replica lag p99 ≤ ${GOAL_P99_MS} ms`, ok: count > 0 && p99 <= GOAL_P99_MS, detail: `p99 ${p99.toFixed(1)} ms` },
    { name: 'no load request refused', ok: load.rejected === 0 && load.errors === 0, detail: `${load.rejected} non-2xx, ${load.errors} errors` },
  ];
  log(`\nchecks:\n${formatChecks(checks)}`);
  log(`\nload on the primary: ${load.requestsPerSecond.toFixed(0)} reports/s over ${load.seconds} s, ingest p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms`);
  log(`acknowledged on the primary → visible on the replica (${count} samples): p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
  log(`/readyz at the end: ${readyz}`);
  return checks.every((check) => check.ok);
}
