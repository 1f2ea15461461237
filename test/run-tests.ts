import { runHttpOnPostgres } from './run-http-on-postgres.js';
import { longestFirst, nodeTest, relativeName, TEST_ROOT, testConcurrency, testFiles } from './test-runner.js';

/**
 * `npm test`: every test file of dist/test/ in two passes, then the HTTP tests on PostgreSQL
 * (run-http-on-postgres.ts). Each test file runs in its own process (node:test); files differ in
 * everything they share: temp dirs (mkdtemp), ports (0), PostgreSQL schemas and databases
 * (randomName), Redis key prefixes (randomUUID), application_name (the schema). Most of a file's
 * time is waiting (PostgreSQL, Chromium, child processes, timers), so they run several at once.
 *
 * 1. Parallel: all files not listed below, `TALLY_TEST_CONCURRENCY` at a time (default 4).
 * 2. Serial: the files that measure time or load the machine on purpose, one at a time, after
 *    the parallel pass: crash tests (SIGKILL under load, recovery within seconds), durability
 *    under outages (seconds-long deadlines), and tests that assert the event loop is not blocked.
 * 3. The HTTP tests again on PostgreSQL, also in parallel (see run-http-on-postgres.ts).
 *
 * Only `*.test.js` files run: the helpers next to them declare no tests (`node --test dist/test/`
 * ran each as a file with one empty test). `node --test dist/test/` still works and loads this file
 * as a test file, where it does nothing.
 */

/** Paths under dist/test/ (a folder ends with /) that run one at a time, after the parallel pass. */
export const SERIAL: readonly string[] = [
  'system/crash/',
  'system/durability/',
  'http/form-field-cap.test.js',
  // Asserts that inserts wait briefly while a maintenance pass runs: a bound on waits, kept away from other files' load.
  'store/postgres-maintenance-locks.test.js',
  // Times how soon a change made through the CLI reaches three servers (the CLI's own start counted):
  // with other files starting processes at once, the start alone passed the slack.
  'system/multi-instance.test.js',
];

function isSerial(file: string): boolean {
  const relative = relativeName(file);
  return SERIAL.some((entry) => (entry.endsWith('/') ? relative.startsWith(entry) : relative === entry));
}

async function main(): Promise<number> {
  const concurrency = testConcurrency();
  const files = testFiles(TEST_ROOT);
  const serial = files.filter(isSerial);
  const parallel = longestFirst(files.filter((file) => !isSerial(file)));
  const passes: Array<[string, () => Promise<number>]> = [
    [`${parallel.length} test files, ${concurrency} at a time`, () => nodeTest(parallel, concurrency)],
    [`${serial.length} test files that measure time, one at a time`, () => nodeTest(serial, 1)],
    ['the HTTP tests on PostgreSQL', () => runHttpOnPostgres(concurrency)],
  ];
  const failed: string[] = [];
  for (const [what, pass] of passes) {
    const started = Date.now();
    console.log(`# npm test: ${what}`);
    const code = await pass();
    console.log(`# npm test: ${what}: ${code === 0 ? 'passed' : `failed (exit code ${code})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (code !== 0) failed.push(what);
  }
  if (failed.length > 0) console.log(`# npm test: FAILED: ${failed.join('; ')}`);
  return failed.length === 0 ? 0 : 1;
}

if (process.env.NODE_TEST_CONTEXT === undefined) process.exitCode = await main();
