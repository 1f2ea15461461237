import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSTGRES_REQUIRED, postgresUnreachableReason } from './postgres-helpers.js';
import { longestFirst, nodeTest, testConcurrency, testFiles } from './test-runner.js';

/**
 * `npm test`'s last pass (and `npm run test:http`'s second): the HTTP tests again with
 * `TALLY_TEST_BACKEND=postgres`. Without a PostgreSQL server it skips with the reason, or fails
 * when TALLY_TEST_REQUIRE_POSTGRES=1 (CI).
 *
 * Every file of test/http/ runs, not a chosen few: each reads or writes telemetry, the registry,
 * accounts, sessions or the audit log through the Store, and the two stores differ in SQL, types,
 * transactions and caching, so an HTTP answer that SQLite gets right says little about PostgreSQL
 * (files that only spawn the CLI on a SQLite data dir skip themselves with SQLITE_ONLY). They run
 * several at once like the SQLite pass: each test server has its own schema (randomName) and
 * a pool of at most 10 connections, so 4 files stay far below PostgreSQL's 100.
 * `node --test dist/test/` also loads this file as a test file; there it does nothing.
 */
export async function runHttpOnPostgres(concurrency: number): Promise<number> {
  const reason = await postgresUnreachableReason();
  if (reason !== null) {
    if (POSTGRES_REQUIRED) {
      console.error(`# FAIL: the HTTP tests must run on PostgreSQL (TALLY_TEST_REQUIRE_POSTGRES=1): ${reason}`);
      return 1;
    }
    console.log(`# SKIP: HTTP tests on PostgreSQL not run: ${reason}; set TEST_DATABASE_URL to run them`);
    return 0;
  }
  const httpTests = longestFirst(testFiles(path.join(path.dirname(fileURLToPath(import.meta.url)), 'http')));
  console.log('# HTTP tests on PostgreSQL (TALLY_TEST_BACKEND=postgres)');
  return nodeTest(httpTests, concurrency, { ...process.env, TALLY_TEST_BACKEND: 'postgres' });
}

if (process.env.NODE_TEST_CONTEXT === undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runHttpOnPostgres(testConcurrency());
}
