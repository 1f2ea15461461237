import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSTGRES_REQUIRED, postgresUnreachableReason } from './postgres-helpers.js';

/**
 * `npm test`'s second pass: the HTTP tests again with `TALLY_TEST_BACKEND=postgres`. Without a
 * PostgreSQL server it skips with the reason, or fails when TALLY_TEST_REQUIRE_POSTGRES=1 (CI).
 * `node --test dist/test/` also loads this file as a test file; there it does nothing.
 */
async function main(): Promise<number> {
  const reason = await postgresUnreachableReason();
  if (reason !== null) {
    if (POSTGRES_REQUIRED) {
      console.error(`# FAIL: the HTTP tests must run on PostgreSQL (TALLY_TEST_REQUIRE_POSTGRES=1): ${reason}`);
      return 1;
    }
    console.log(`# SKIP: HTTP tests on PostgreSQL not run: ${reason}; set TEST_DATABASE_URL to run them`);
    return 0;
  }
  const httpTests = path.join(path.dirname(fileURLToPath(import.meta.url)), 'http');
  console.log('# HTTP tests on PostgreSQL (TALLY_TEST_BACKEND=postgres)');
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', httpTests], {
    stdio: 'inherit',
    env: { ...process.env, TALLY_TEST_BACKEND: 'postgres' },
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

if (process.env.NODE_TEST_CONTEXT === undefined) process.exitCode = await main();
