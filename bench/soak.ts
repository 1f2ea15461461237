/**
 * `npm run soak -- [--minutes 10] [--rate 2000] [--connections 20] [--warmup-minutes 2]
 * [--slice-seconds 10] [--database-url postgres://…]`: holds a steady ingest load on a real
 * `tally serve` and samples, every slice, the server's RSS (from /proc), its event-loop delay
 * (p99 over the slice, from /metrics) and the answers' p99 latency. After the warm-up, RSS must
 * grow by less than 10 % and every acknowledged report must be stored; exits 1 otherwise.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { installCleanupHandlers, withTempDir } from './cleanup.js';
import { FORM_CONTENT_TYPE, ingestBodies, INGEST_PATH } from './ingest-requests.js';
import { LatencyRecorder } from './latency.js';
import { stopChild } from './processes.js';
import { createTallyFixture, readBack, type TallyStorage } from './tally-fixture.js';
import { startTally } from './tally-server.js';

interface SoakOptions {
  minutes: number;
  rate: number;
  connections: number;
  warmupMinutes: number;
  sliceSeconds: number;
  databaseUrl: string | null;
}

interface Slice {
  atSeconds: number;
  rssMb: number;
  loopDelayP99Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  acknowledged: number;
}

const MAX_RSS_GROWTH = 0.1;

function readOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string', default: '2000' },
      connections: { type: 'string', default: '20' },
      'warmup-minutes': { type: 'string', default: '2' },
      'slice-seconds': { type: 'string', default: '10' },
      'database-url': { type: 'string' },
    },
  });
  const positive = (name: string, value: string): number => {
    const n = Number(value);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number, got ${value}`);
    return n;
  };
  const options: SoakOptions = {
    minutes: positive('minutes', values.minutes),
    rate: positive('rate', values.rate),
    connections: positive('connections', values.connections),
    warmupMinutes: positive('warmup-minutes', values['warmup-minutes']),
    sliceSeconds: positive('slice-seconds', values['slice-seconds']),
    databaseUrl: values['database-url'] ?? null,
  };
  if (options.warmupMinutes >= options.minutes) throw new Error('--warmup-minutes must be shorter than --minutes');
  return options;
}

/** Resident set size of a process in MiB, from /proc/<pid>/status. */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : 0;
}

/** The server's event-loop delay p99 since the last scrape, in ms (prom-client resets it per scrape). */
async function loopDelayP99Ms(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('tally_nodejs_eventloop_lag_p99_seconds '));
  return line === undefined ? NaN : Number(line.split(' ')[1]) * 1000;
}

/** One slice of steady load at `rate` requests per second over all connections. */
function slice(baseUrl: string, bodies: readonly string[], options: SoakOptions): Promise<{ result: autocannon.Result; latency: LatencyRecorder }> {
  const latency = new LatencyRecorder();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl + INGEST_PATH,
        connections: options.connections,
        duration: options.sliceSeconds,
        overallRate: options.rate,
        method: 'POST',
        headers: { 'content-type': FORM_CONTENT_TYPE },
        requests: bodies.map((body) => ({ method: 'POST', path: INGEST_PATH, body })),
      },
      (error: unknown, result) => (error ? reject(error) : resolve({ result, latency })),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latency.record(ms);
    });
  });
}

async function soak(dir: string, options: SoakOptions): Promise<boolean> {
  const storage: TallyStorage = { dataDir: path.join(dir, 'data'), databaseUrl: options.databaseUrl };
  const fixture = await createTallyFixture(storage);
  const server = await startTally(storage);
  const pid = server.child.process.pid ?? 0;
  const bodies = ingestBodies(fixture);
  const slices: Slice[] = [];
  const started = Date.now();
  const totalSlices = Math.round((options.minutes * 60) / options.sliceSeconds);
  console.log(`soak: ${options.minutes} min at ${options.rate} req/s over ${options.connections} connections on ${options.databaseUrl === null ? 'SQLite' : 'PostgreSQL'}, warm-up ${options.warmupMinutes} min`);
  console.log('   t(s)  RSS(MB)  loop p99(ms)  answer p99(ms)   req/s  non-2xx  errors');
  await loopDelayP99Ms(server.baseUrl);
  try {
    for (let i = 0; i < totalSlices; i++) {
      const { result, latency } = await slice(server.baseUrl, bodies, options);
      const [p99Ms = 0] = latency.percentiles(99);
      const sample: Slice = {
        atSeconds: Math.round((Date.now() - started) / 1000),
        rssMb: rssMb(pid),
        loopDelayP99Ms: await loopDelayP99Ms(server.baseUrl),
        p99Ms,
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        acknowledged: result['2xx'],
      };
      slices.push(sample);
      console.log(
        `${String(sample.atSeconds).padStart(7)}  ${sample.rssMb.toFixed(1).padStart(7)}  ${sample.loopDelayP99Ms.toFixed(2).padStart(12)}  ${sample.p99Ms.toFixed(2).padStart(14)}  ${(sample.requests / options.sliceSeconds).toFixed(0).padStart(6)}  ${String(sample.non2xx).padStart(7)}  ${String(sample.errors).padStart(6)}`,
      );
    }
  } finally {
    await stopChild(server.child);
  }
  return verdict(slices, options, (await readBack(storage)).records);
}

/**
 * RSS saw-tooths with garbage collection and SQLite checkpoints (tens of MB within a minute), so
 * single samples are not compared: the growth is the peak RSS of the last stretch after warm-up
 * over the peak of the first stretch after it, each stretch a third of the post-warm-up time
 * (at most 2 minutes, long enough to hold a whole saw-tooth).
 */
function rssGrowth(afterWarmup: readonly Slice[], sliceSeconds: number): { first: number; last: number; growth: number } {
  const stretch = Math.max(1, Math.min(Math.round(120 / sliceSeconds), Math.floor(afterWarmup.length / 3)));
  const first = Math.max(...afterWarmup.slice(0, stretch).map((s) => s.rssMb));
  const last = Math.max(...afterWarmup.slice(-stretch).map((s) => s.rssMb));
  return { first, last, growth: first > 0 ? (last - first) / first : Infinity };
}

function verdict(slices: readonly Slice[], options: SoakOptions, stored: number): boolean {
  const warmSlices = Math.round((options.warmupMinutes * 60) / options.sliceSeconds);
  const afterWarmup = slices.slice(warmSlices);
  const { first, last, growth } = rssGrowth(afterWarmup, options.sliceSeconds);
  const overallPeak = Math.max(...afterWarmup.map((s) => s.rssMb));
  const acknowledged = slices.reduce((sum, s) => sum + s.acknowledged, 0);
  const non2xx = slices.reduce((sum, s) => sum + s.non2xx + s.errors, 0);
  const p99s = afterWarmup.map((s) => s.p99Ms).sort((a, b) => a - b);
  const delays = afterWarmup.map((s) => s.loopDelayP99Ms).sort((a, b) => a - b);
  console.log(
    `\nRSS peak in the first stretch after warm-up ${first.toFixed(1)} MB, in the last stretch ${last.toFixed(1)} MB (highest after warm-up ${overallPeak.toFixed(1)} MB): growth ${(growth * 100).toFixed(1)} % (limit ${MAX_RSS_GROWTH * 100} %)`,
  );
  console.log(`answer p99 per slice after warm-up: median ${median(p99s).toFixed(2)} ms, worst ${(p99s.at(-1) ?? 0).toFixed(2)} ms`);
  console.log(`event-loop delay p99 per slice after warm-up: median ${median(delays).toFixed(2)} ms, worst ${(delays.at(-1) ?? 0).toFixed(2)} ms`);
  console.log(`acknowledged ${acknowledged}, stored ${stored}, non-2xx or errors ${non2xx}`);
  const ok = growth < MAX_RSS_GROWTH && stored >= acknowledged;
  console.log(ok ? 'soak: PASS' : 'soak: FAIL');
  return ok;
}

function median(sorted: readonly number[]): number {
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  installCleanupHandlers();
  return (await withTempDir('tally-soak-', (dir) => soak(dir, options))) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (error: unknown) => {
    console.error('soak failed:', error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
