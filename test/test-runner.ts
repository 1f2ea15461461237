import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `npm test`'s passes share (run-tests.ts, run-http-on-postgres.ts). */

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
