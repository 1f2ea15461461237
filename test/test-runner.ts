import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm test`'s passes share (run-tests.ts, run-http-on-postgres.ts). */

/** dist/test/ (this file's folder once built). */
export const TEST_ROOT = path.dirname(fileURLToPath(import.meta.url));

/** `file` relative to dist/test/, with / between folders: `http/accounts.test.js`. */
export const relativeName = (file: string): string => path.relative(TEST_ROOT, file).split(path.sep).join('/');

/** How many test files run at once: `TALLY_TEST_CONCURRENCY`, else 4 (2 cores, mostly waiting). */
export function testConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env['TALLY_TEST_CONCURRENCY']);
  return Number.isInteger(given) && given >= 1 ? given : Math.max(2, Math.min(4, os.availableParallelism() * 2));
}

/** Every `*.test.js` under `dir`, sorted (the order node --test runs a folder in). */
export function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

/** Runs `node --test` on these files, its output on ours; resolves with its exit code. */
export function nodeTest(files: readonly string[], concurrency: number, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (files.length === 0) return Promise.resolve(0);
  const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit', env });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

/**
 * The longest test files (citime-timings.txt, issue 19), started first so that
 * none of them is left running alone at the end. Order only; every file runs either way.
 */
const LONGEST_FIRST: readonly string[] = [
  'http/fuzz-ingest.test.js',
  'store/postgres-store.test.js',
  'system/cli/api-key.test.js',
  'store/sqlite-store.test.js',
  'system/cli/license.test.js',
  'system/cli/license-insights.test.js',
  'system/cli/keys.test.js',
  'system/cli/verify.test.js',
  'system/cli/import.test.js',
  'system/multi-instance.test.js',
];

/** `files` with the LONGEST_FIRST ones at the front, in that order; the rest as they were. */
export function longestFirst(files: readonly string[]): string[] {
  const rank = (file: string): number => {
    const at = LONGEST_FIRST.indexOf(relativeName(file));
    return at === -1 ? LONGEST_FIRST.length : at;
  };
  return files.map((file, index) => ({ file, index })).sort((a, b) => rank(a.file) - rank(b.file) || a.index - b.index).map(({ file }) => file);
}
