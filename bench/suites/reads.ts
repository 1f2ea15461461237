import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { cliActor } from '../../src/cli/cli-actor.js';
import { applyConfiguredAdminToken } from '../../src/registry/admin-token.js';
import { createAppDeps } from '../../src/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { adminGet } from '../admin-get.js';
import type { Backend } from '../options.js';
import { installsPath, readScenarios, summaryPath, type ReadScenario } from '../read-scenarios.js';
import { scaleDataset, scaleSpec, type ScaleMeta } from '../scale-dataset.js';
import { SCALE_NUMERIC_GROUPS } from '../scale-records.js';
import { distinctErrors, formatErrorLine, percentileErrors, type ErrorLine } from '../sketch-error.js';
import { datasetConfig, ensureScaleDataset, type ScaleDataOptions } from './scale-data.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
/** A measure stops being repeated after this long, so a slow one cannot hold the bench for long. */
const BUDGET_MS = 120_000;
const log = (line: string): void => console.log(line);

export interface ReadsOptions extends ScaleDataOptions {
  runs: number;
}

interface ReadTiming {
  backend: Backend;
  scenario: ReadScenario;
  runs: number;
  p50: number;
  p99: number;
}

/**
 * `npm run bench -- reads`: the dashboard's reads over the scale dataset (made first when
 * missing), each backend in turn, through the real app on a listening socket in this process
 * (one request at a time, so the client's share of the event loop is idle while the server works).
 * Prints p50/p99 beside the goals, then how far sketched answers are from exact ones.
 */
export async function runReadsSuite(options: ReadsOptions): Promise<boolean> {
  const spec = scaleSpec(options);
  const timings: ReadTiming[] = [];
  const errors: ErrorLine[] = [];
  for (const backend of options.backends) {
    const dataset = scaleDataset(spec, backend, options.dataDir ?? 'bench-data', options.databaseUrl);
    const meta = await ensureScaleDataset(dataset, options.databaseUrl);
    if (meta === null) return false;
    const config = datasetConfig(dataset, { sqliteSynchronous: 'FULL', adminToken: ADMIN_TOKEN, idleTimeoutMs: 3_600_000 });
    const store = await openStore(config);
    try {
      await maintainAsServeWould(store, meta);
      if (dataset.databaseUrl !== null) await vacuumWhereAutovacuumIsOff(dataset.databaseUrl);
      await applyConfiguredAdminToken(store.secrets, config.adminToken, { log: store.audit, actor: cliActor() });
      const app = await buildApp(await createAppDeps(config, store));
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
        for (const scenario of readScenarios(meta.endUs)) timings.push({ backend, ...(await measure(base, scenario, options.runs)) });
        // The timings first: over 100M records the exact answers below can take minutes.
        log(`\n${formatTimings(timings.filter((t) => t.backend === backend), spec.records)}\n`);
        errors.push(...(await sketchErrors(base, backend, meta)));
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
    }
  }
  log(`\n${formatTimings(timings, spec.records)}`);
  log('\nsketched vs exact (relative error; n/a while the default answer is exact):');
  for (const line of errors) log(formatErrorLine(line));
  return true;
}

/**
 * `tally serve` runs a maintenance pass as it starts (jobs/maintenance-job.ts), which on
 * PostgreSQL compacts the delta rows that concurrent inserts append (install sketches, new-machine
 * counts); the app built here runs no jobs, so the pass is run once first, at the dataset's "now",
 * keeping every record. A dataset already compacted takes a moment.
 */
async function maintainAsServeWould(store: Store, meta: ScaleMeta): Promise<void> {
  const started = performance.now();
  await store.maintainTelemetry({ nowUs: meta.endUs, retentionDays: 0, partitionInterval: meta.spec.partitionInterval });
  log(`maintenance pass (as tally serve runs at start): ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * A PostgreSQL server with autovacuum on (the default) analyzes and vacuums the dataset's tables
 * after the bulk inserts and after a migration's new indexes: the planner then knows their sizes,
 * and index-only scans skip the heap. This machine's test server runs with autovacuum off, so
 * there the bench does once what autovacuum would have done.
 */
async function vacuumWhereAutovacuumIsOff(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
    if (rows[0]?.autovacuum === 'on') return;
    const started = performance.now();
    await client.query('VACUUM (ANALYZE)');
    log(`VACUUM (ANALYZE), as autovacuum would have (it is off on this server): ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

/** One warm-up request, then up to `runs` timed ones within BUDGET_MS; p50 and p99 by nearest rank. */
async function measure(base: string, scenario: ReadScenario, runs: number): Promise<Omit<ReadTiming, 'backend'>> {
  const first = await adminGet(base, scenario.path, ADMIN_TOKEN);
  if (first.status !== 200) throw new Error(`${scenario.name}: HTTP ${first.status} ${JSON.stringify(first.body)}`);
  const times: number[] = [];
  const started = performance.now();
  while (times.length < runs && performance.now() - started < BUDGET_MS) {
    const t0 = performance.now();
    const { status } = await adminGet(base, scenario.path, ADMIN_TOKEN);
    times.push(performance.now() - t0);
    if (status !== 200) throw new Error(`${scenario.name}: HTTP ${status}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? 0;
  log(`  measured: ${scenario.name}: p50 ${at(0.5).toFixed(0)} ms over ${times.length} runs`);
  return { scenario, runs: times.length, p50: at(0.5), p99: at(0.99) };
}

/** Each numeric group's summary and the installs chart, as answered by default and exactly. */
async function sketchErrors(base: string, backend: Backend, meta: ScaleMeta): Promise<ErrorLine[]> {
  const both = async (path: string, exactOption: string): Promise<[unknown, unknown]> => {
    const byDefault = await adminGet(base, path, ADMIN_TOKEN);
    const exact = await adminGet(base, `${path}&${exactOption}`, ADMIN_TOKEN);
    return [byDefault.body, exact.status === 200 ? exact.body : null];
  };
  const lines: ErrorLine[] = [];
  for (const group of SCALE_NUMERIC_GROUPS) {
    lines.push(percentileErrors(`${backend} ${group} p50/p90/p99, 90 days`, ...(await both(summaryPath(meta.endUs, group), 'percentiles=exact'))));
  }
  lines.push(distinctErrors(`${backend} installs machines/users per version per day, 90 days`, ...(await both(installsPath(meta.endUs), 'distinct=exact'))));
  return lines;
}

function formatTimings(timings: readonly ReadTiming[], records: number): string {
  const goal = (t: ReadTiming): string => `p50 ≤ ${t.scenario.goal.p50}${t.scenario.goal.p99 === null ? '' : `, p99 ≤ ${t.scenario.goal.p99}`}`;
  const met = (t: ReadTiming): string => (t.p50 <= t.scenario.goal.p50 && (t.scenario.goal.p99 === null || t.p99 <= t.scenario.goal.p99) ? 'yes' : 'NO');
  const header = ['backend', `read (${records.toLocaleString('en-US')} records)`, 'runs', 'p50 ms', 'p99 ms', 'goal ms', 'met'];
  const rows = timings.map((t) => [t.backend, t.scenario.name, String(t.runs), t.p50.toFixed(0), t.p99.toFixed(0), goal(t), met(t)]);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((cell, c) => (c <= 1 || c >= 5 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
