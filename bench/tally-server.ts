import { fileURLToPath } from 'node:url';
import type { TallyStorage } from './tally-fixture.js';
import { freePort, spawnNode, waitUntilAnswering, type Child } from './processes.js';

/** The built CLI, the same file as the package's `tally` bin. */
const TALLY_CLI = fileURLToPath(new URL('../app/main.js', import.meta.url));

/** The bench's flags are the whole configuration: a TALLY_* variable of the caller must not leak in. */
function withoutTallySettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('TALLY_')));
}

/**
 * Node's own flags for the server, as `npm start` gives them (package.json; a test keeps the two
 * the same): a young generation of up to 64 MiB per semi-space, so that the reports of the
 * requests in flight are not copied by a scavenge every few milliseconds, and one V8 helper
 * thread instead of four, so that GC helpers do not crowd the HTTP and writer threads on two
 * cores (docs/performance.md, docs/operations.md).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--v8-pool-size=1'];

export interface TallyServer {
  child: Child;
  baseUrl: string;
}

/**
 * Runs `tally serve` on a free 127.0.0.1 port over `storage` and waits until it answers. With
 * `cpuProfDir`, node writes a CPU profile there when the server exits.
 */
export async function startTally(storage: TallyStorage, cpuProfDir: string | null = null, extraArgs: readonly string[] = []): Promise<TallyServer> {
  const port = await freePort();
  const database = storage.databaseUrl === null ? [] : ['--database-url', storage.databaseUrl];
  const args = ['serve', '--data-dir', storage.dataDir, ...database, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn',
    // The load generator sends everything from one IP and key: rate limits would measure themselves.
    '--rate-limit-per-ip', '0', '--rate-limit-per-key', '0', ...extraArgs,
    // Settings to compare, e.g. BENCH_TALLY_ARGS="--metrics false" (split on spaces).
    ...(process.env.BENCH_TALLY_ARGS ?? '').split(' ').filter((arg) => arg !== '')];
  const nodeArgs = [...SERVER_NODE_FLAGS, ...(cpuProfDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir])];
  const child = spawnNode('tally serve', TALLY_CLI, args, { env: withoutTallySettings(process.env), nodeArgs });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(child, baseUrl + '/');
  return { child, baseUrl };
}
