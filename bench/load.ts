import autocannon from 'autocannon';
import { FORM_CONTENT_TYPE, INGEST_PATH } from './ingest-requests.js';
import { watchCpu, type CpuUse } from './cpu-usage.js';
import { LatencyRecorder } from './latency.js';
import { fireWrk } from './wrk-load.js';

/** The HTTP load generators the ingest benches can drive (`--load`). */
export const LOAD_GENERATORS = ['autocannon', 'wrk'] as const;
export type LoadGenerator = (typeof LOAD_GENERATORS)[number];

export interface LoadOptions {
  connections: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds of load before the measured run, not counted. */
  warmup: number;
  /** autocannon (in this process) or wrk (Debian's, a C program: costs the shared CPU less). */
  load: LoadGenerator;
}

/** The figures of one measured run, plus what the warm-up got acknowledged (for the data checks). */
export interface LoadSummary {
  label: string;
  /** Completed requests over the measured seconds. */
  requestsPerSecond: number;
  /** How long the measured run really lasted (autocannon sometimes runs a second longer than asked). */
  seconds: number;
  /** Of 2xx answers, in ms. */
  p50Ms: number;
  p99Ms: number;
  total: number;
  errors: number;
  non2xx: number;
  /** 2xx answers over warm-up and measured run together. */
  acknowledged: number;
  /** non-2xx answers over warm-up and measured run together. */
  rejected: number;
  /** What the server process and the machine used during the measured run; null when not watched (or not Linux). */
  cpu: CpuUse | null;
}

/** Where the load goes: the single ingest endpoint unless told otherwise. */
export interface LoadTarget {
  path: string;
  contentType: string;
}

const SINGLE_TARGET: LoadTarget = { path: INGEST_PATH, contentType: FORM_CONTENT_TYPE };

interface Fired {
  result: autocannon.Result;
  latency: LatencyRecorder;
}

function fire(baseUrl: string, bodies: readonly string[], connections: number, duration: number, target: LoadTarget): Promise<Fired> {
  const latency = new LatencyRecorder();
  return new Promise((resolve, reject) => {
    const options: autocannon.Options = {
      url: baseUrl + target.path,
      connections,
      duration,
      method: 'POST',
      headers: { 'content-type': target.contentType },
      requests: bodies.map((body) => ({ method: 'POST', path: target.path, body })),
    };
    const instance = autocannon(options, (error: unknown, result) => (error ? reject(error) : resolve({ result, latency })));
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latency.record(ms);
    });
  });
}

/**
 * Warms `baseUrl` up, then measures it with the same bodies and connections; with `serverPid`,
 * also the CPU time that process used during the measured run.
 */
export async function measure(label: string, baseUrl: string, bodies: readonly string[], options: LoadOptions, target: LoadTarget = SINGLE_TARGET, serverPid?: number): Promise<LoadSummary> {
  if (options.load === 'wrk') return measureWithWrk(label, baseUrl, bodies, options, target, serverPid);
  const warm = options.warmup > 0 ? (await fire(baseUrl, bodies, options.connections, options.warmup, target)).result : null;
  const cpuSince = watchCpu(serverPid);
  const { result, latency } = await fire(baseUrl, bodies, options.connections, options.duration, target);
  const cpu = serverPid === undefined ? null : cpuSince();
  const [p50Ms = 0, p99Ms = 0] = latency.percentiles(50, 99);
  return {
    label,
    requestsPerSecond: result.duration > 0 ? result.requests.total / result.duration : 0,
    seconds: result.duration,
    p50Ms,
    p99Ms,
    total: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    acknowledged: result['2xx'] + (warm?.['2xx'] ?? 0),
    rejected: result.non2xx + (warm?.non2xx ?? 0),
    cpu,
  };
}

/** `measure` with wrk: its latencies are of every answer, and a 2xx is an answer that was not non-2xx. */
async function measureWithWrk(label: string, baseUrl: string, bodies: readonly string[], options: LoadOptions, target: LoadTarget, serverPid?: number): Promise<LoadSummary> {
  const url = baseUrl + target.path;
  const warm = options.warmup > 0 ? await fireWrk(url, bodies, target.contentType, options.connections, options.warmup) : null;
  const cpuSince = watchCpu(serverPid);
  const result = await fireWrk(url, bodies, target.contentType, options.connections, options.duration);
  const cpu = serverPid === undefined ? null : cpuSince();
  return {
    label,
    requestsPerSecond: result.seconds > 0 ? result.requests / result.seconds : 0,
    seconds: result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    total: result.requests,
    errors: result.errors,
    non2xx: result.non2xx,
    acknowledged: result.requests - result.non2xx + (warm === null ? 0 : warm.requests - warm.non2xx),
    rejected: result.non2xx + (warm?.non2xx ?? 0),
    cpu,
  };
}
