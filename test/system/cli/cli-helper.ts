import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/contract/store.js';
import { REPO_ROOT } from '../../repo-root.js';
import { CLI } from '../../http/cli-runner.js';
import { TEST_PASSWORD_ENV } from '../../password-cost.js';

// The built CLI; fixtures stay in the source tree.
const MAIN = CLI;
export const FIXTURES = path.join(REPO_ROOT, 'test/system/cli/fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  stdin?: string;
  env?: Record<string, string>;
  /** Working directory of the command (where it looks for `.env`); default this process's. */
  cwd?: string;
}

/** Runs the built `tally` in a child process with no TALLY_* variables from the outer shell (but the tests' low password hash cost). */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TALLY_')));
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [MAIN, ...args], { env: { ...env, ...TEST_PASSWORD_ENV, ...options.env }, cwd: options.cwd }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

/** A tally bound to a fresh data directory, removed when the test ends. */
export interface TempTally {
  dataDir: string;
  run(args: readonly string[], options?: CliRunOptions): Promise<CliResult>;
  /** Runs a command that must succeed and returns its stdout parsed as JSON. */
  json<T>(args: readonly string[]): Promise<T>;
  /** The same store opened in this process, closed after `use`. */
  withStore<T>(use: (store: Store) => Promise<T>): Promise<T>;
}

export async function tempTally(t: TestContext): Promise<TempTally> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tally-cli-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const run = (args: readonly string[], options?: CliRunOptions): Promise<CliResult> => runCli([...args, '--data-dir', dataDir], options);
  return {
    dataDir,
    run,
    async json<T>(args: readonly string[]): Promise<T> {
      const result = await run([...args, '--json']);
      if (result.code !== 0) throw new Error(`tally ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    async withStore<T>(use: (store: Store) => Promise<T>): Promise<T> {
      const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
      try {
        return await use(store);
      } finally {
        await store.close();
      }
    },
  };
}
