import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CLI } from '../../http/cli-runner.js';

/** A `tally serve` child process and the URL it listens on. */
export interface TallyProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown[]>;
}

/** Where a `tally serve` keeps its data: a SQLite data dir, or a PostgreSQL URL (schema and application_name in it). */
export interface ServeTarget {
  dataDir: string;
  databaseUrl: string | null;
}

/**
 * Starts `tally serve` on a free port with rate limits off (the load comes from one IP and key)
 * and resolves once it listens. Its stderr is kept, not shown: a killed server's last lines are noise.
 */
export function startTally(target: ServeTarget, extraArgs: readonly string[] = []): Promise<TallyProcess> {
  const args = [CLI, 'serve', '--data-dir', target.dataDir, '--port', '0', '--log-level', 'error',
    '--admin-token', 'crash-test-admin-token-0123456789', '--rate-limit-per-ip', '0', '--rate-limit-per-key', '0', ...extraArgs];
  if (target.databaseUrl !== null) args.push('--database-url', target.databaseUrl);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer): void => {
      output += String(chunk);
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], exited });
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', () => reject(new Error(`tally serve exited before listening: ${output.slice(-2000)}`)));
  });
}

/** SIGKILL: no drain, no close, the process is simply gone. Resolves once it has exited. */
export async function killTally(tally: TallyProcess): Promise<void> {
  if (tally.child.exitCode === null && tally.child.signalCode === null) tally.child.kill('SIGKILL');
  await tally.exited;
}

/** SIGTERM and wait for the drain (the server's own graceful stop). */
export async function stopTally(tally: TallyProcess): Promise<void> {
  if (tally.child.exitCode === null && tally.child.signalCode === null) tally.child.kill('SIGTERM');
  await tally.exited;
}
