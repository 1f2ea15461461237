import { statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { nowMicros } from '../../src/model/clock.js';
import { applyConfiguredAdminToken } from '../../src/registry/admin-token.js';
import { createAppDeps } from '../../src/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { withTempDir } from '../cleanup.js';
import { INSIGHTS_PRODUCT, INSIGHTS_SPAN_US, insightsRecord, machineCount, seededRandom } from '../insights-records.js';
import type { Backend } from '../options.js';
import { createThrowawayDatabase } from '../pg-database.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const BATCH = 5_000;
const RUNS = 30;
/** A query stops being repeated after this long, so a slow one cannot hold the bench for long. */
const BUDGET_MS = 30_000;
const log = (line: string): void => console.log(line);
/**
 * The server drops a connection idle for --idle-timeout-ms (60 s by default), a long computation
 * included: at 10M records some exact answers take longer, and the bench is there to say how long.
 */
const LONG_READS = { idleTimeoutMs: 3_600_000 } as const;

interface Scenario {
  name: string;
  path: string;
}

interface Timing {
  name: string;
  /** null: the endpoint answered 404 (not on this branch). */
  runs: number | null;
  p50: number;
  p90: number;
  bytes: number;
}

export interface InsightsBenchOptions {
  records: number | null;
  backends: Backend[];
  databaseUrl: string;
}

function scenarios(): Scenario[] {
  const product = `product_id=${INSIGHTS_PRODUCT}`;
  const days = (n: number): string => `from=${Math.floor((nowMicros() - n * 86_400_000_000) / 1e6)}`;
  return [
    { name: 'installs by version per day, last 30 days', path: `/admin/api/installs?${product}&by=version&interval=day` },
    { name: 'installs by version per day, last 90 days', path: `/admin/api/installs?${product}&by=version&interval=day&${days(90)}` },
    { name: 'installs by os per week, last 90 days', path: `/admin/api/installs?${product}&by=os&interval=week&${days(90)}` },
    { name: 'installs, all together per month, last 90 days', path: `/admin/api/installs?${product}&by=none&interval=month&${days(90)}` },
    { name: 'license insights, window 30 days', path: `/admin/api/licenses/insights?${product}&window_days=30` },
    { name: 'license insights, shared, window 30 days', path: `/admin/api/licenses/insights?${product}&window_days=30&class=shared` },
    { name: 'user insights, window 30 days', path: `/admin/api/users/insights?${product}&window_days=30` },
    { name: 'p50/p90 per version per day, one data group, last 30 days', path: `/admin/api/summary/versions?${product}&data_group=startup_ms` },
  ];
}

/**
 * The vendor-insight endpoints (issue 17) over N fleet-like records (bench/insights-records.ts:
 * many machines, versions, OS, licenses, over 90 days) on each backend: generation, then p50/p90
 * of each query over real HTTP (a listening socket, one request at a time). An endpoint that
 * answers 404 is reported "not available" rather than failing the suite.
 */
export async function runInsightsSuite(options: InsightsBenchOptions): Promise<boolean> {
  const records = options.records ?? 1_000_000;
  let ok = true;
  for (const backend of options.backends) {
    log(`\n== ${backend}: ${records.toLocaleString('en-US')} records, ${machineCount(records).toLocaleString('en-US')} machines`);
    ok = (await (backend === 'sqlite' ? onSqlite(records) : onPostgres(records, options.databaseUrl))) && ok;
  }
  return ok;
}

function onSqlite(records: number): Promise<boolean> {
  return withTempDir('tally-bench-insights-', async (dataDir) => {
    // synchronous=OFF only to generate quickly; it changes nothing about how queries run.
    const config = loadConfig({ dataDir, logLevel: 'silent', sqliteSynchronous: 'OFF', adminToken: ADMIN_TOKEN, ...LONG_READS }, {});
    const ok = await benchOn(config, records);
    log(`database: ${(statSync(path.join(dataDir, 'tally.db')).size / 1e6).toFixed(0)} MB`);
    return ok;
  });
}

async function onPostgres(records: number, serverUrl: string): Promise<boolean> {
  const database = await createThrowawayDatabase(serverUrl);
  try {
    return await withTempDir('tally-bench-insights-', (dataDir) =>
      benchOn(loadConfig({ dataDir, databaseUrl: database.url, logLevel: 'silent', adminToken: ADMIN_TOKEN, ...LONG_READS }, {}), records));
  } finally {
    await database.drop();
  }
}

async function benchOn(config: Config, records: number): Promise<boolean> {
  const store = await openStore(config);
  try {
    const endUs = nowMicros();
    // PostgreSQL: monthly partitions for the whole span, as a server running for 90 days would have.
    await store.maintainTelemetry({ nowUs: endUs - INSIGHTS_SPAN_US, retentionDays: 0, monthsAhead: 5 });
    await generate(store, records, endUs);
    await applyConfiguredAdminToken(store.secrets, config.adminToken);
    const app = await buildApp(await createAppDeps(config, store));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const timings: Timing[] = [];
      for (const scenario of scenarios()) timings.push(await measure(base, scenario));
      log(formatTimings(timings));
      return true;
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}

async function generate(store: Store, records: number, endUs: number): Promise<void> {
  const random = seededRandom(17);
  const started = performance.now();
  for (let from = 0; from < records; from += BATCH) {
    await store.telemetry.insertMany(Array.from({ length: Math.min(BATCH, records - from) }, (_, k) => insightsRecord(from + k, records, endUs, random)));
    if ((from / BATCH) % 200 === 199) log(`  … ${(from + BATCH).toLocaleString('en-US')} records`);
  }
  const seconds = (performance.now() - started) / 1000;
  log(`generated ${records.toLocaleString('en-US')} records in ${seconds.toFixed(0)} s`);
}

/**
 * One GET with no client-side timeout (fetch's would give up after 300 s without headers): a query
 * over 10M records may take minutes, and the bench is there to say how long.
 */
function get(base: string, pathAndQuery: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(base + pathAndQuery, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** One warm-up request (a 404 marks the endpoint not available), then up to RUNS timed ones within BUDGET_MS. */
async function measure(base: string, scenario: Scenario): Promise<Timing> {
  const first = await get(base, scenario.path);
  if (first.status === 404) return { name: scenario.name, runs: null, p50: 0, p90: 0, bytes: 0 };
  if (first.status !== 200) throw new Error(`${scenario.name}: HTTP ${first.status}`);
  const times: number[] = [];
  const started = performance.now();
  while (times.length < RUNS && performance.now() - started < BUDGET_MS) {
    const t0 = performance.now();
    const { status } = await get(base, scenario.path);
    times.push(performance.now() - t0);
    if (status !== 200) throw new Error(`${scenario.name}: HTTP ${status}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  log(`  measured: ${scenario.name}`);
  return { name: scenario.name, runs: times.length, p50: at(0.5), p90: at(0.9), bytes: first.bytes };
}

function formatTimings(timings: readonly Timing[]): string {
  const header = ['query', 'runs', 'answer bytes', 'p50 ms', 'p90 ms'];
  const rows = timings.map((t) => (t.runs === null
    ? [t.name, '-', '-', 'not available', '(404)']
    : [t.name, String(t.runs), String(t.bytes), t.p50.toFixed(1), t.p90.toFixed(1)]));
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
