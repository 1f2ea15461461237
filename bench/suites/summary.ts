import { statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { nowMicros } from '../../src/model/clock.js';
import type { SummaryAnswer } from '../../src/query/summary-answer.js';
import { applyConfiguredAdminToken } from '../../src/registry/admin-token.js';
import { createAppDeps } from '../../src/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { withTempDir } from '../cleanup.js';
import { BENCH_GROUPS, benchRecord, seededRandom, type BenchGroup } from '../summary-records.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const BATCH = 10_000;
const RUNS = 7;
const TARGET_MS = 1000;
const log = (line: string): void => console.log(line);

interface Scenario {
  name: string;
  query: string;
  /** What the answer must count, to show that the summary covered the data. */
  expect: (answer: SummaryAnswer) => boolean;
}

/**
 * `GET /admin/api/summary` over `records` generated records per data group (three groups, one
 * per data type), through the real app in process (`inject`, no socket): generation time, then
 * min / median / max of several runs per scenario. Fails when a median exceeds 1 s.
 */
export async function runSummarySuite(options: { records: number | null }): Promise<boolean> {
  const records = options.records ?? 1_000_000;
  return withTempDir('tally-bench-summary-', (dataDir) => benchInDir(dataDir, records));
}

async function benchInDir(dataDir: string, records: number): Promise<boolean> {
  const config = loadConfig({ dataDir, logLevel: 'silent', sqliteSynchronous: 'OFF', adminToken: ADMIN_TOKEN }, {});
  const store = await openStore(config);
  try {
    await generate(store, records, nowMicros());
    log(`database: ${(statSync(path.join(dataDir, 'tally.db')).size / 1e6).toFixed(0)} MB`);
    await applyConfiguredAdminToken(store.secrets, config.adminToken);
    const app = await buildApp(await createAppDeps(config, store));
    try {
      return await measureAll(app, scenarios(records));
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}

/** Fills the three groups in interleaved batches through `insertMany`, as ingest would over time. */
async function generate(store: Store, records: number, endUs: number): Promise<void> {
  const random = seededRandom(42);
  const groups = Object.keys(BENCH_GROUPS) as BenchGroup[];
  const started = performance.now();
  for (let from = 0; from < records; from += BATCH) {
    const to = Math.min(records, from + BATCH);
    for (const group of groups) {
      const batch = Array.from({ length: to - from }, (_, k) => benchRecord(group, from + k, records, endUs, random));
      await store.telemetry.insertMany(batch);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  log(`generated ${groups.length} × ${records.toLocaleString('en-US')} records in ${seconds.toFixed(1)} s (${Math.round((groups.length * records) / seconds).toLocaleString('en-US')} records/s, batches of ${BATCH}, synchronous=OFF)`);
}

function scenarios(records: number): Scenario[] {
  const base = 'product_id=1';
  const sevenDaysAgo = Math.floor(Date.now() / 1000) - 7 * 86_400;
  return [
    { name: 'numbers, 30 days (numeric-single-value)', query: `${base}&data_group=numbers`, expect: (a) => a.numeric.count === records && a.total === records },
    { name: 'curve, 30 days (numeric-xy-axis)', query: `${base}&data_group=curve`, expect: (a) => a.xy.count === records && a.xy.points.length <= 1000 },
    { name: 'labels, 30 days (text)', query: `${base}&data_group=labels`, expect: (a) => a.text.count === records },
    { name: 'numbers, last 7 days', query: `${base}&data_group=numbers&from=${sevenDaysAgo}`, expect: (a) => a.numeric.count > 0 && a.numeric.count < records },
    { name: 'numbers, flagged only (has_red_flags=1)', query: `${base}&data_group=numbers&has_red_flags=1`, expect: (a) => a.numeric.count > 0 && a.days.every((d) => d.clean === 0) },
    { name: 'numbers, one version (product_version=1.0.0)', query: `${base}&data_group=numbers&product_version=1.0.0`, expect: (a) => a.numeric.count > 0 && a.numeric.count < records },
  ];
}

async function measureAll(app: FastifyInstance, list: readonly Scenario[]): Promise<boolean> {
  log(`\n| scenario | min ms | median ms | max ms | answer KB | check |\n|---|---:|---:|---:|---:|---|`);
  let ok = true;
  for (const scenario of list) ok = (await measure(app, scenario)) && ok;
  log(`\ntarget: median ≤ ${TARGET_MS} ms per summary — ${ok ? 'met' : 'NOT MET'}`);
  return ok;
}

async function measure(app: FastifyInstance, scenario: Scenario): Promise<boolean> {
  const request = { method: 'GET' as const, url: `/admin/api/summary?${scenario.query}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
  await app.inject(request);
  const times: number[] = [];
  let body = '';
  let status = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const answer = await app.inject(request);
    times.push(performance.now() - started);
    ({ body, statusCode: status } = answer);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)] ?? Infinity;
  const counted = status === 200 && scenario.expect(JSON.parse(body) as SummaryAnswer);
  const cells = [times[0], median, times[RUNS - 1]].map((t) => (t ?? 0).toFixed(0));
  log(`| ${scenario.name} | ${cells.join(' | ')} | ${(body.length / 1024).toFixed(0)} | ${counted ? 'ok' : `FAILED (HTTP ${status})`} |`);
  return counted && median <= TARGET_MS;
}
