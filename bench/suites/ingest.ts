import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SIGNING_ALGORITHMS } from '../../src/envelope/signing-key.js';
import { measureBare } from '../bare-process.js';
import { cpuNote, formatBatch, measureBatchIngest, type BatchRun } from '../batch-ingest.js';
import { durabilityChecks, sampleChecks, type Check, type Sample } from '../checks.js';
import { onCleanup } from '../cleanup.js';
import { answerSize, ingestBodies, postIngest, type IngestBodies } from '../ingest-requests.js';
import { measure, type LoadGenerator, type LoadOptions, type LoadSummary } from '../load.js';
import type { Backend } from '../options.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../pg-database.js';
import { stopChild } from '../processes.js';
import { formatChecks, formatLoad, formatSignCost, type BackendLoad } from '../report.js';
import { measureSignCost } from '../sign-cost.js';
import { createTallyFixture, readBack, type TallyStorage } from '../tally-fixture.js';
import { startTally, type TallyServer } from '../tally-server.js';

export interface IngestOptions extends LoadOptions {
  samples: number;
  cpuProfDir: string | null;
  /** The Tally backends measured, in order, each against the same bare baseline. */
  backends: readonly Backend[];
  /** PostgreSQL server for the postgres run (the bench makes its own database there). */
  databaseUrl: string;
  /** The single reports sent (ingest-requests.ts). */
  bodies: IngestBodies;
}

const log = (line: string): void => console.log(line);

/**
 * Bare `node:http` vs. `tally serve` on the ingest endpoint, once per backend (SQLite, then a
 * throwaway PostgreSQL database), then the data checks and the cost of signing. Returns false
 * when a check failed; an unreachable PostgreSQL skips its run and is not a failure.
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

/** One backend's measured run and what its data checks found. */
interface TallyRun extends BackendLoad {
  checks: Check[];
}

/** Measures the bare baseline once, with the first Tally run's bodies and answer size. */
type Baseline = (answerBytes: number, bodies: readonly string[]) => Promise<LoadSummary>;

/** The baseline, measured at most once; `result` is null until a Tally run asked for it. */
function onceBaseline(options: LoadOptions): { baseline: Baseline; result: () => Promise<LoadSummary> | null } {
  let bare: Promise<LoadSummary> | null = null;
  return {
    baseline: (answerBytes, bodies) => (bare ??= measureBare(answerBytes, bodies, options, (url) => log(`bare:  ${describe(options)} on ${url}`))),
    result: () => bare,
  };
}

async function benchInDir(dataDir: string, options: IngestOptions): Promise<boolean> {
  const { baseline, result } = onceBaseline(options);
  const runs: TallyRun[] = [];
  const skipped: string[] = [];
  for (const backend of options.backends) {
    const run = await runBackend(backend, path.join(dataDir, backend), baseline, options);
    if (typeof run === 'string') skipped.push(run);
    else runs.push(run);
  }
  // Batch ingestion (issue 7) on SQLite, on its own data dir so each run's data checks stay exact.
  const batch = options.backends.includes('sqlite') ? await measureBatchIngest(dataDir, options) : null;
  const bare = result();
  if (bare === null) {
    log(`\nno Tally run took place:\n${skipped.join('\n')}`);
    return true;
  }
  printResults(await bare, runs, skipped, batch ?? [], options.load);
  return runs.every((run) => run.checks.every((c) => c.ok)) && (batch ?? []).every((run) => run.checks.every((c) => c.ok));
}

/** A measured run, or why it was skipped. */
function runBackend(backend: Backend, dataDir: string, baseline: Baseline, options: IngestOptions): Promise<TallyRun | string> {
  if (backend === 'sqlite') return runTally(backend, { dataDir, databaseUrl: null }, baseline, options);
  return runOnPostgres(dataDir, baseline, options);
}

/** In a fresh `tally_bench_<hex>` database, dropped afterwards however the run ends. */
async function runOnPostgres(dataDir: string, baseline: Baseline, options: IngestOptions): Promise<TallyRun | string> {
  let database: ThrowawayDatabase;
  try {
    database = await createThrowawayDatabase(options.databaseUrl);
  } catch (error) {
    return `PostgreSQL run skipped: could not create a database on ${serverOf(options.databaseUrl)}: ${messageOf(error)}`;
  }
  log(`\npostgres: database ${database.name} on ${serverOf(options.databaseUrl)}`);
  try {
    return await runTally('postgres', { dataDir, databaseUrl: database.url }, baseline, options);
  } finally {
    await database.drop();
    log(`postgres: database ${database.name} dropped`);
  }
}

/** Host and port only: the rest of a URL may hold a password. */
function serverOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(an unparsable URL)';
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
  return error instanceof Error ? error.message || error.constructor.name : String(error);
}

/** Fixture, server, load, samples, SIGTERM, then the checks against what the store holds. */
async function runTally(backend: Backend, storage: TallyStorage, baseline: Baseline, options: IngestOptions): Promise<TallyRun> {
  const bodies = ingestBodies(await createTallyFixture(storage), options.bodies);
  const tally = await startTally(storage, options.cpuProfDir);
  let measured: Measured;
  try {
    measured = await measureTally(backend, tally, bodies, baseline, options);
  } finally {
    await stopChild(tally.child);
  }
  if (options.cpuProfDir !== null) log(`CPU profile of tally serve (${backend}) written to ${options.cpuProfDir}`);
  const checks = await checkData(storage, measured, await tally.child.exited);
  return { backend, load: measured.load, checks: checks.map((c) => ({ ...c, name: `${backend}: ${c.name}` })) };
}

interface Measured {
  load: LoadSummary;
  samples: Sample[];
}

/** The baseline first if not yet measured (answering as many bytes as Tally does), then Tally, then a few plain answers. */
async function measureTally(backend: Backend, tally: TallyServer, bodies: readonly string[], baseline: Baseline, options: IngestOptions): Promise<Measured> {
  await baseline(await probeAnswerSize(tally, bodies[0] ?? ''), bodies);
  log(`tally (${backend}): ${describe(options)} on ${tally.baseUrl}`);
  const load = await measure(`tally (${backend})`, tally.baseUrl, bodies, options, undefined, tally.child.process.pid);
  return { load, samples: await collectSamples(tally, bodies, options.samples) };
}

function describe(options: LoadOptions): string {
  return `${options.load}, ${options.warmup} s warm-up + ${options.duration} s at ${options.connections} connections`;
}

/** One real answer, so that the baseline answers as many bytes. */
async function probeAnswerSize(tally: TallyServer, body: string): Promise<number> {
  const bytes = await answerSize(tally.baseUrl, body);
  log(`tally answers ${bytes} bytes to a correct report; the baseline answers as many`);
  return bytes;
}

/** A few answers from a plain client after the load, to verify; one at a time. */
async function collectSamples(tally: TallyServer, bodies: readonly string[], count: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) samples.push(await postIngest(tally.baseUrl, bodies[i % bodies.length] ?? ''));
  return samples;
}

async function checkData(storage: TallyStorage, { load, samples }: Measured, exitCode: number | null): Promise<Check[]> {
  const stored = await readBack(storage);
  // The probe (one 200, or the run would have stopped) and the samples were answered too.
  const sampled2xx = samples.filter((s) => s.status >= 200 && s.status < 300).length;
  return [
    { name: 'tally serve exits 0 on SIGTERM', ok: exitCode === 0, detail: `exit code ${exitCode}` },
    ...durabilityChecks(load.acknowledged + sampled2xx + 1, load.rejected + samples.length - sampled2xx, stored.records),
    ...sampleChecks(samples, stored.publicKeyPem),
  ];
}

function printResults(bare: LoadSummary, runs: readonly TallyRun[], skipped: readonly string[], batch: readonly BatchRun[], load: LoadGenerator): void {
  log(`\nchecks:\n${formatChecks([...runs.flatMap((run) => run.checks), ...batch.flatMap((run) => run.checks)])}\n`);
  for (const line of skipped) log(`${line}\n`);
  log(formatLoad(bare, runs, load));
  const bareNote = cpuNote(bare, bare.total, 'request');
  if (bareNote !== '') log(`bare node:http:${bareNote.replace('tally used', 'it used')}`);
  for (const run of runs) {
    const note = cpuNote(run.load, run.load.total, 'request');
    if (note !== '') log(`tally (${run.backend}):${note}`);
  }
  if (batch.length > 0) log(`\n${formatBatch(batch, runs.find((run) => run.backend === 'sqlite')?.load)}`);
  const first = runs[0];
  if (first === undefined) return;
  log(`\nsignature cost (measured after the servers stopped):`);
  log(formatSignCost(SIGNING_ALGORITHMS.map((algorithm) => measureSignCost(algorithm)), first.load));
}
