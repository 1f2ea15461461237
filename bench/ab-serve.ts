/**
 * `node dist/bench/ab-serve.js [--rounds 3] [--load wrk] [--duration 8] [--connections 50] [--bodies fleet] [--backend postgres] CHECKOUT[|ARGS] ...`:
 * the single-report ingest of `tally serve` from several built checkouts (each a `git worktree`
 * with its own `dist/`; `|ARGS` adds server flags, e.g. `.|--ingest-lane false`), against the
 * bare node:http server (answering as many bytes as the first checkout's answer to a correct report), over real sockets on SQLite, or with `--backend postgres` in a fresh
 * throwaway database per run on the server of `--database-url` (default as `npm run bench`). Each round measures every checkout (in
 * reversed order every other round) and then the bare server, and prints each one's req/s, CPU
 * µs per request and its ratio to that round's bare figure; at the end, the ratios per checkout.
 * Figures of one round share the machine's state, so compare within rounds (docs/performance.md).
 * With `--slices N`, all the servers (and the bare one) are up at once instead and the load visits
 * them in turn, N slices of `--duration` seconds each (interleaved.ts): on a machine whose speed
 * swings by half within a minute, only this tells a few per cent apart. There `--backend` may list
 * both (`sqlite,postgres`): each checkout then runs on each, so PostgreSQL ÷ SQLite is measured
 * in the same slices.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureBare, startBare } from './bare-process.js';
import { runInterleaved, type RunningServer } from './interleaved.js';
import { BACKENDS, databaseUrlOf, oneOf, positive, type Backend } from './options.js';
import { createThrowawayDatabase } from './pg-database.js';
import { answerSize, INGEST_BODIES, ingestBodies } from './ingest-requests.js';
import { LOAD_GENERATORS, measure, type LoadSummary } from './load.js';
import { stopChild } from './processes.js';
import type { TallyFixture, TallyStorage } from './tally-fixture.js';
import type { TallyServer } from './tally-server.js';

interface Checkout {
  label: string;
  dist: string;
  args: string[];
}

interface CheckoutBench {
  createTallyFixture(storage: TallyStorage): Promise<TallyFixture>;
  startTally(storage: TallyStorage, cpuProfDir: string | null, extraArgs: readonly string[]): Promise<TallyServer>;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    slices: { type: 'string', default: '0' },
    load: { type: 'string', default: 'wrk' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    bodies: { type: 'string', default: 'published' },
    backend: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string' },
  },
});
/** `--backend`: one, or with `--slices` a comma-separated list, each checkout then run on each. */
const backends = values.backend.split(',').map((name) => oneOf('backend', BACKENDS, name));
const backend = backends[0] ?? 'sqlite';
if (backends.length > 1 && !(Number(values.slices) > 0)) throw new Error('ab-serve.js: several --backend values need --slices (all servers up at once)');
const load = oneOf('load', LOAD_GENERATORS, values.load);
const bodyKind = oneOf('bodies', INGEST_BODIES, values.bodies);
if (positionals.length === 0) throw new Error('usage: ab-serve.js [--rounds 3 | --slices 20 --duration 2] [--load wrk] [--duration 8] [--connections 50] [--bodies fleet] [--backend postgres | --backend sqlite,postgres with --slices] CHECKOUT[|ARGS] ...');
const options = { connections: Math.floor(positive('connections', values.connections, 1)), duration: Number(values.duration), warmup: 2, load };
const checkouts: Checkout[] = positionals.map((spec) => {
  const [checkout = '.', args = ''] = spec.split('|');
  return { label: spec, dist: path.resolve(checkout, 'dist'), args: args.split(' ').filter((a) => a !== '') };
});

function figures(run: LoadSummary): string {
  const cpu = run.cpu === null ? '' : `, ${((1e6 * run.cpu.processSeconds) / run.total).toFixed(1)} µs CPU/request`;
  return `${run.requestsPerSecond.toFixed(0)} req/s${cpu}, p50 ${run.p50Ms} ms`;
}

/** One checkout's server on a fresh SQLite data dir (or PostgreSQL database), measured; returns the run and the bodies it was sent. */
async function measureCheckout(checkout: Checkout): Promise<{ run: LoadSummary; bodies: string[]; answerBytes: number }> {
  if (backend === 'sqlite') return measureOn(checkout, null);
  const database = await createThrowawayDatabase(databaseUrlOf(values['database-url']));
  try {
    return await measureOn(checkout, database.url);
  } finally {
    await database.drop();
  }
}

async function measureOn(checkout: Checkout, databaseUrl: string | null): Promise<{ run: LoadSummary; bodies: string[]; answerBytes: number }> {
  const bench = (await import(path.join(checkout.dist, 'bench/tally-fixture.js'))) as Pick<CheckoutBench, 'createTallyFixture'>;
  const server = (await import(path.join(checkout.dist, 'bench/tally-server.js'))) as Pick<CheckoutBench, 'startTally'>;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-ab-serve-'));
  try {
    const storage = { dataDir, databaseUrl };
    const bodies = ingestBodies(await bench.createTallyFixture(storage), bodyKind);
    const tally = await server.startTally(storage, null, checkout.args);
    try {
      const answerBytes = await answerSize(tally.baseUrl, bodies[0] ?? '');
      return { run: await measure(checkout.label, tally.baseUrl, bodies, options, undefined, tally.child.process.pid), bodies, answerBytes };
    } finally {
      await stopChild(tally.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A checkout's server on its own storage of `on`, up until `stop`. */
async function startCheckout(checkout: Checkout, on: Backend): Promise<{ server: RunningServer; stop: () => Promise<void> }> {
  const database = on === 'sqlite' ? null : await createThrowawayDatabase(databaseUrlOf(values['database-url']));
  const bench = (await import(path.join(checkout.dist, 'bench/tally-fixture.js'))) as Pick<CheckoutBench, 'createTallyFixture'>;
  const server = (await import(path.join(checkout.dist, 'bench/tally-server.js'))) as Pick<CheckoutBench, 'startTally'>;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-ab-serve-'));
  const storage = { dataDir, databaseUrl: database?.url ?? null };
  const removeStorage = async (): Promise<void> => {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  let bodies: string[];
  let tally: TallyServer;
  try {
    bodies = ingestBodies(await bench.createTallyFixture(storage), bodyKind);
    tally = await server.startTally(storage, null, checkout.args);
  } catch (error) {
    await removeStorage();
    throw error;
  }
  const stop = async (): Promise<void> => {
    await stopChild(tally.child);
    await removeStorage();
  };
  const label = backends.length > 1 ? `${checkout.label} (${on})` : checkout.label;
  return { server: { label, baseUrl: tally.baseUrl, pid: tally.child.process.pid, bodies }, stop };
}

/** `--slices`: every server up at once, the load visiting them in turn (interleaved.ts). */
async function interleaved(slices: number): Promise<void> {
  const started: { server: RunningServer; stop: () => Promise<void> }[] = [];
  try {
    for (const checkout of checkouts) for (const on of backends) started.push(await startCheckout(checkout, on));
    const first = started[0]?.server;
    const bare = await startBare(first === undefined ? 0 : await answerSize(first.baseUrl, first.bodies[0] ?? ''));
    try {
      const bareServer = { label: 'bare node:http', baseUrl: bare.baseUrl, pid: bare.child.process.pid, bodies: first?.bodies ?? [] };
      await runInterleaved(started.map(({ server }) => server), bareServer, options, slices);
    } finally {
      await stopChild(bare.child);
    }
  } finally {
    for (const { stop } of started) await stop();
  }
}

/** `--rounds`: each checkout's server and then the bare one, measured one after another, round after round. */
async function rounds(count: number): Promise<void> {
  const ratios = new Map<Checkout, string[]>(checkouts.map((c) => [c, []]));
  for (let round = 0; round < count; round++) {
    const order = round % 2 === 0 ? checkouts : [...checkouts].reverse();
    const runs = new Map<Checkout, LoadSummary>();
    let bodies: string[] = [];
    let answerBytes = 0;
    for (const checkout of order) {
      const measured = await measureCheckout(checkout);
      runs.set(checkout, measured.run);
      bodies = measured.bodies;
      answerBytes = measured.answerBytes;
    }
    const bareRun = await measureBare(answerBytes, bodies, options);
    console.log(`round ${round + 1}: bare node:http ${figures(bareRun)}`);
    for (const checkout of checkouts) {
      const run = runs.get(checkout) as LoadSummary;
      const ratio = (run.requestsPerSecond / bareRun.requestsPerSecond).toFixed(2);
      ratios.get(checkout)?.push(ratio);
      console.log(`  ${checkout.label}: ${figures(run)}, ratio ${ratio}`);
    }
  }
  for (const [checkout, list] of ratios) console.log(`${checkout.label}: ratios ${list.join(' ')}`);
}

const slices = Math.floor(positive('slices', values.slices, 0));
if (slices > 0) await interleaved(slices);
else await rounds(Math.floor(positive('rounds', values.rounds, 1)));
