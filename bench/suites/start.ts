import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTempDir } from '../cleanup.js';
import { freePort, spawnNode, stopChild } from '../processes.js';
import { SERVER_NODE_FLAGS } from '../tally-server.js';

/** What the package's `tally` bin and `npm start` run. */
const BUNDLE = fileURLToPath(new URL('../../app/main.js', import.meta.url));
/** The same program unbundled, as tsc writes it: what the bundle is compared with. */
const UNBUNDLED = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const GOAL_MS = 1000;
const log = (line: string): void => console.log(line);

/**
 * Start to first answer of `tally serve` on SQLite: the time from spawning the process to the
 * first answer of `/healthz`, for the bundle and the unbundled build alternately (same machine
 * state for both), on a database that exists (a restart), then once each on a new one (which
 * also makes the RSA-4096 signing key). Fails when the bundle's median restart passes 1 s.
 */
export function runStartSuite(options: { runs: number }): Promise<boolean> {
  return withTempDir('tally-bench-start-', (root) => measure(root, options.runs));
}

async function measure(root: string, runs: number): Promise<boolean> {
  const dataDir = path.join(root, 'data');
  await timeStart(BUNDLE, dataDir); // makes the database and its key, unmeasured
  const times = { bundle: [] as number[], unbundled: [] as number[] };
  for (let run = 0; run < runs; run++) {
    times.bundle.push(await timeStart(BUNDLE, dataDir));
    times.unbundled.push(await timeStart(UNBUNDLED, dataDir));
  }
  const firstBundle = await timeStart(BUNDLE, path.join(root, 'new-1'));
  const firstUnbundled = await timeStart(UNBUNDLED, path.join(root, 'new-2'));
  log(`tally serve, spawn → first /healthz answer, SQLite, ${runs} alternating runs each:`);
  log(`  bundle (dist/app/main.js)     restart p50 ${median(times.bundle)} ms, max ${Math.max(...times.bundle)} ms; first start ${firstBundle} ms`);
  log(`  unbundled (dist/src)          restart p50 ${median(times.unbundled)} ms, max ${Math.max(...times.unbundled)} ms; first start ${firstUnbundled} ms`);
  log(`  bundle ÷ unbundled (p50)      ${(median(times.bundle) / median(times.unbundled)).toFixed(2)}`);
  const met = median(times.bundle) <= GOAL_MS;
  log(`  goal: restart p50 ≤ ${GOAL_MS} ms: ${met ? 'met' : 'MISSED'}`);
  return met;
}

/** Spawns `tally serve` and polls /healthz every 2 ms; the ms until it answered 200, then stops it. */
async function timeStart(script: string, dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const server = spawnNode('tally serve', script, ['serve', '--data-dir', dataDir, '--port', String(port), '--log-level', 'warn'], {
    nodeArgs: SERVER_NODE_FLAGS,
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TALLY_'))),
  });
  try {
    for (;;) {
      if (server.process.exitCode !== null) throw new Error(`tally serve exited: ${server.stderrTail()}`);
      if (await answers(`http://127.0.0.1:${port}/healthz`)) return Math.round(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await stopChild(server);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
