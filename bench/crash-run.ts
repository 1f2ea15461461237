/**
 * `npm run test:crash`: the long crash run (docs/durability.md). On each backend, `tally serve`
 * is SIGKILLed at random points under full-speed ingest (default 20 times) and restarted on the
 * same data; on PostgreSQL the database server itself is also restarted mid-run (fast, then
 * immediate mode), and the running Tally must recover by itself. At the end every acknowledged
 * report must be stored exactly once. Prints the counts; exits non-zero on any violation.
 *
 *   node dist/bench/crash-run.js [--kills 20] [--clients 32] [--backend sqlite|postgres|both] [--no-pg-restart]
 */
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { createCrashStore, describeRun, runCrashScenario, type Backend, type CrashRunResult, type Disruption } from '../test/system/crash/crash-driver.js';
import { postgresUnreachableReason } from '../test/postgres-helpers.js';

const PG_CLUSTER = ['--skip-systemctl-redirect', '15', 'main'];

/** Asynchronous, so the load clients in this process keep sending while PostgreSQL restarts. */
async function pgCtl(...args: string[]): Promise<void> {
  await promisify(execFile)('pg_ctlcluster', [...PG_CLUSTER, ...args]);
}

/** Waits until PostgreSQL answers again; starts it if it is down. */
async function ensurePostgresUp(): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    if ((await postgresUnreachableReason()) === null) return;
    if (attempt === 10) {
      try {
        await pgCtl('start');
      } catch {
        // Already starting: keep polling.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('PostgreSQL did not come back');
}

function restartPostgres(mode: 'fast' | 'immediate'): Disruption {
  return {
    name: `PostgreSQL restart (${mode})`,
    run: async () => {
      try {
        await pgCtl('restart', '--mode', mode);
      } finally {
        await ensurePostgresUp();
      }
    },
  };
}

async function runOn(backend: Backend, kills: number, clients: number, pgRestart: boolean): Promise<CrashRunResult> {
  const store = await createCrashStore(backend);
  const log = (line: string): void => console.log(`[${backend}] ${line}`);
  try {
    const disruptions = backend === 'postgres' && pgRestart ? [restartPostgres('fast'), restartPostgres('immediate')] : [];
    const result = await runCrashScenario(store, { kills, clients, acknowledgedBetweenKills: [200, 2000], disruptions, stallTimeoutMs: 60_000, log });
    console.log(`[${backend}] ${describeRun(result)}`);
    return result;
  } finally {
    if (backend === 'postgres') await ensurePostgresUp();
    await store.dispose();
  }
}

function violations(backend: Backend, result: CrashRunResult, kills: number): string[] {
  const found: string[] = [];
  if (result.kills !== kills) found.push(`${backend}: ${result.kills} of ${kills} kills`);
  if (result.lost.length > 0) found.push(`${backend}: ${result.lost.length} acknowledged reports lost (${result.lost.slice(0, 5).join(', ')}…)`);
  if (result.duplicated.length > 0) found.push(`${backend}: ${result.duplicated.length} reports stored twice`);
  if (result.load.missingRetryAfter > 0) found.push(`${backend}: ${result.load.missingRetryAfter} answers 503 without Retry-After`);
  const unexpected = [...result.load.answers.keys()].filter((k) => k !== '200/830' && k !== '503/503');
  if (unexpected.length > 0) found.push(`${backend}: unexpected answers ${unexpected.join(', ')}`);
  return found;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '20' },
      clients: { type: 'string', default: '32' },
      backend: { type: 'string', default: 'both' },
      'no-pg-restart': { type: 'boolean', default: false },
    },
  });
  const kills = Number(values.kills);
  const clients = Number(values.clients);
  const backends: Backend[] = values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend as Backend];
  const found: string[] = [];
  for (const backend of backends) {
    if (backend === 'postgres') {
      const reason = await postgresUnreachableReason();
      if (reason !== null) {
        found.push(`postgres: not run: ${reason}`);
        continue;
      }
    }
    found.push(...violations(backend, await runOn(backend, kills, clients, !values['no-pg-restart']), kills));
  }
  for (const line of found) console.error(`FAIL ${line}`);
  if (found.length === 0) console.log('OK: every acknowledged report stored exactly once');
  return found.length === 0 ? 0 : 1;
}

process.exitCode = await main();
