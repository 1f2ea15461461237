import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatBatch, measureBatchIngest } from '../batch-ingest.js';
import type { BenchOptions } from '../options.js';
import { onCleanup } from '../cleanup.js';
import { formatChecks } from '../report.js';

/**
 * Only the batch runs of the ingest suite (SQLite): quicker to repeat while working on batch
 * ingestion, and with `--cpu-prof` a profile of each server. Returns false when a check failed.
 */
export async function runBatchSuite(options: BenchOptions): Promise<boolean> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tally-bench-'));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  const forget = onCleanup(removeDir);
  try {
    const runs = await measureBatchIngest(dataDir, options);
    const checks = runs.flatMap((run) => run.checks);
    console.log(`\nchecks:\n${formatChecks(checks)}\n\n${formatBatch(runs, undefined)}`);
    if (options.cpuProfDir !== null) console.log(`CPU profiles of tally serve written to ${options.cpuProfDir}`);
    return checks.every((check) => check.ok);
  } finally {
    forget();
    removeDir();
  }
}
