/**
 * `npm run bench -- [suite] [options]`: load benchmarks of a real `tally serve`, each against
 * a bare baseline in the same run. Exits 1 when a suite's checks fail, 2 on a usage error.
 */
import { installCleanupHandlers } from './cleanup.js';
import { parseOptions, USAGE, type BenchOptions, type Suite } from './options.js';
import { describeMachine } from './machine.js';
import { runBatchSuite } from './suites/batch.js';
import { runIngestSuite } from './suites/ingest.js';
import { runInsightsSuite } from './suites/insights.js';
import { runQuerySuite } from './suites/query.js';
import { runReadsSuite } from './suites/reads.js';
import { runScaleDataSuite } from './suites/scale-data.js';
import { runReplicaSuite } from './suites/replica.js';
import { runStartSuite } from './suites/start.js';
import { runSummarySuite } from './suites/summary.js';

const SUITE_RUNNERS: Record<Suite, (options: BenchOptions) => Promise<boolean>> = {
  ingest: runIngestSuite,
  batch: runBatchSuite,
  summary: runSummarySuite,
  query: runQuerySuite,
  insights: runInsightsSuite,
  'scale-data': runScaleDataSuite,
  reads: runReadsSuite,
  replica: runReplicaSuite,
  start: runStartSuite,
};

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  installCleanupHandlers();
  console.log(await describeMachine());
  return (await SUITE_RUNNERS[options.suite](options)) ? 0 : 1;
}

/** Lets stdout drain (it is asynchronous on some platforms), then ends even if a socket lingers. */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
}

main().then(finish, (error: unknown) => {
  console.error('bench failed:', error instanceof Error ? (error.stack ?? error.message) : String(error));
  finish(1);
});
