import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBare } from '../bare-process.js';
import { durabilityChecks, sampleChecks, type Check, type Sample } from '../checks.js';
import { onCleanup } from '../cleanup.js';
import { ingestBodies, postIngest } from '../ingest-requests.js';
import { measure, type LoadOptions, type LoadSummary } from '../load.js';
import { stopChild } from '../processes.js';
import { formatChecks, formatLoad, formatSignCost } from '../report.js';
import { measureSignCost } from '../sign-cost.js';
import { createTallyFixture, readBack } from '../tally-fixture.js';
import { startTally, type TallyServer } from '../tally-server.js';

export interface IngestOptions extends LoadOptions {
  samples: number;
  cpuProfDir: string | null;
}

const log = (line: string): void => console.log(line);

/**
 * Bare `node:http` vs. `tally serve` on the ingest endpoint, then the data checks and the
 * cost of signing. Returns false when a check failed.
 */
export async function runIngestSuite(options: IngestOptions): Promise<boolean> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tally-bench-'));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  const forget = onCleanup(removeDir);
  try {
    return await benchInDir(dataDir, options);
  } finally {
    forget();
    removeDir();
  }
}

interface Measured {
  bare: LoadSummary;
  tally: LoadSummary;
  samples: Sample[];
}

async function benchInDir(dataDir: string, options: IngestOptions): Promise<boolean> {
  const bodies = ingestBodies(await createTallyFixture(dataDir));
  const tally = await startTally(dataDir, options.cpuProfDir);
  let measured: Measured;
  try {
    measured = await measureBoth(tally, bodies, options);
  } finally {
    await stopChild(tally.child);
  }
  if (options.cpuProfDir !== null) log(`CPU profile of tally serve written to ${options.cpuProfDir}`);
  const checks = await checkData(dataDir, measured, await tally.child.exited);
  printResults(measured, checks);
  return checks.every((c) => c.ok);
}

/** Baseline first (answering as many bytes as Tally does), then Tally, then a few plain answers. */
async function measureBoth(tally: TallyServer, bodies: readonly string[], options: IngestOptions): Promise<Measured> {
  const answerBytes = await probeAnswerSize(tally, bodies[0] ?? '');
  const bare = await measureBare(answerBytes, bodies, options);
  log(`tally: ${describe(options)} on ${tally.baseUrl}`);
  const load = await measure('tally', tally.baseUrl, bodies, options);
  return { bare, tally: load, samples: await collectSamples(tally, bodies, options.samples) };
}

function describe(options: LoadOptions): string {
  return `${options.warmup} s warm-up + ${options.duration} s at ${options.connections} connections`;
}

/** One real answer, so that the baseline answers as many bytes. */
async function probeAnswerSize(tally: TallyServer, body: string): Promise<number> {
  const answer = await postIngest(tally.baseUrl, body);
  if (answer.status !== 200) throw new Error(`tally answered HTTP ${answer.status} to the fixture's report: ${answer.text}`);
  const bytes = Buffer.byteLength(answer.text, 'utf8');
  log(`tally answers ${bytes} bytes to a correct report; the baseline will answer as many`);
  return bytes;
}

async function measureBare(answerBytes: number, bodies: readonly string[], options: LoadOptions): Promise<LoadSummary> {
  const bare = await startBare(answerBytes);
  try {
    log(`bare:  ${describe(options)} on ${bare.baseUrl}`);
    return await measure('bare node:http', bare.baseUrl, bodies, options);
  } finally {
    await stopChild(bare.child);
  }
}

/** A few answers from a plain client after the load, to verify; one at a time. */
async function collectSamples(tally: TallyServer, bodies: readonly string[], count: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) samples.push(await postIngest(tally.baseUrl, bodies[i % bodies.length] ?? ''));
  return samples;
}

async function checkData(dataDir: string, { tally, samples }: Measured, exitCode: number | null): Promise<Check[]> {
  const stored = await readBack(dataDir);
  // The probe (one 200, or the run would have stopped) and the samples were answered too.
  const sampled2xx = samples.filter((s) => s.status >= 200 && s.status < 300).length;
  return [
    { name: 'tally serve exits 0 on SIGTERM', ok: exitCode === 0, detail: `exit code ${exitCode}` },
    ...durabilityChecks(tally.acknowledged + sampled2xx + 1, tally.rejected + samples.length - sampled2xx, stored.records),
    ...sampleChecks(samples, stored.publicKeyPem),
  ];
}

function printResults({ bare, tally }: Measured, checks: readonly Check[]): void {
  log(`\nchecks:\n${formatChecks(checks)}\n`);
  log(formatLoad(bare, tally));
  log(`\nsignature cost (measured after the servers stopped):`);
  log(formatSignCost(measureSignCost(), tally));
}
