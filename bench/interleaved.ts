import { measure, type LoadOptions, type LoadSummary } from './load.js';

/** A server that is up for the whole interleaved run. */
export interface RunningServer {
  label: string;
  baseUrl: string;
  pid: number | undefined;
  /** The reports its load sends (each Tally has its own fixture: its own key and license). */
  bodies: readonly string[];
}

/** What the slices measured of one server. */
interface Measured {
  requestsPerSecond: number[];
  cpuMicros: number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function cpuMicros(run: LoadSummary): number {
  return run.cpu === null || run.total === 0 ? NaN : (1e6 * run.cpu.processSeconds) / run.total;
}

/** The per-slice quotients b ÷ a. */
function quotients(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => (b[i] ?? NaN) / x);
}

/**
 * Interleaved A/B: every server is up at once and the load visits them in turn, `slices` times,
 * for `options.duration` seconds each (in reversed order every other slice), so that a change of
 * the shared machine's speed, which lasts from seconds to minutes here, falls on neighbouring
 * slices of every server alike. Prints each slice, then per server the medians of its req/s and
 * CPU µs per request and of its per-slice quotients against the first server (and against
 * `bare`, when given, whose req/s the ratio is taken to).
 */
export async function runInterleaved(servers: readonly RunningServer[], bare: RunningServer | null, options: LoadOptions, slices: number): Promise<void> {
  const all = bare === null ? servers : [...servers, bare];
  const measured = new Map<RunningServer, Measured>(all.map((server) => [server, { requestsPerSecond: [], cpuMicros: [] }]));
  // The first slice of each is a warm-up, not counted.
  for (const server of all) await measure(server.label, server.baseUrl, server.bodies, { ...options, warmup: 0 }, undefined, server.pid);
  for (let slice = 0; slice < slices; slice++) {
    const order = slice % 2 === 0 ? all : [...all].reverse();
    const runs = new Map<RunningServer, LoadSummary>();
    for (const server of order) runs.set(server, await measure(server.label, server.baseUrl, server.bodies, { ...options, warmup: 0 }, undefined, server.pid));
    const line = all.map((server) => {
      const run = runs.get(server) as LoadSummary;
      const figures = measured.get(server) as Measured;
      figures.requestsPerSecond.push(run.requestsPerSecond);
      figures.cpuMicros.push(cpuMicros(run));
      return `${run.requestsPerSecond.toFixed(0)} req/s ${cpuMicros(run).toFixed(1)} µs`;
    });
    console.log(`slice ${slice + 1}: ${line.join(' | ')}`);
  }
  const first = measured.get(servers[0] as RunningServer) as Measured;
  const bareFigures = bare === null ? null : (measured.get(bare) as Measured);
  for (const server of all) {
    const figures = measured.get(server) as Measured;
    const parts = [`median ${median(figures.requestsPerSecond).toFixed(0)} req/s, ${median(figures.cpuMicros).toFixed(1)} µs CPU/request`];
    if (bareFigures !== null && server !== bare) parts.push(`ratio to bare ${median(quotients(bareFigures.requestsPerSecond, figures.requestsPerSecond)).toFixed(2)}`);
    if (server !== servers[0] && server !== bare) {
      parts.push(`÷ ${servers[0]?.label}: req/s ${median(quotients(first.requestsPerSecond, figures.requestsPerSecond)).toFixed(3)}, CPU ${median(quotients(first.cpuMicros, figures.cpuMicros)).toFixed(3)}`);
    }
    console.log(`${server.label}: ${parts.join('; ')}`);
  }
}
