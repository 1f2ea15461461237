import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** What one wrk run reported. */
export interface WrkResult {
  /** Responses received (any status). */
  requests: number;
  seconds: number;
  non2xx: number;
  /** Socket errors: connect, read, write and timeouts together. */
  errors: number;
  /** Latency of all responses, from `--latency`, in ms. */
  p50Ms: number;
  p99Ms: number;
}

const run = promisify(execFile);

/**
 * Runs Debian's `wrk` (one thread: the load generator shares the machine's cores with the server)
 * POSTing `bodies` in turn with `contentType`, from a Lua script written for the run.
 */
export async function fireWrk(url: string, bodies: readonly string[], contentType: string, connections: number, seconds: number): Promise<WrkResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tally-wrk-'));
  try {
    const script = path.join(dir, 'post.lua');
    await writeFile(script, luaScript(bodies, contentType));
    const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${Math.round(seconds)}s`, '--latency', '-s', script, url], { maxBuffer: 16 * 1024 * 1024 });
    return parseWrk(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A script that sends the bodies in turn, each as a Lua long string of a level none of them contains. */
export function luaScript(bodies: readonly string[], contentType: string): string {
  let level = 1;
  while (bodies.some((body) => body.includes(`]${'='.repeat(level)}]`))) level++;
  const eq = '='.repeat(level);
  return [
    'wrk.method = "POST"',
    `wrk.headers["Content-Type"] = "${contentType}"`,
    'local bodies = {',
    // A long string drops a newline right after its opening bracket: start each with one.
    ...bodies.map((body) => `[${eq}[\n${body}]${eq}],`),
    '}',
    'local i = 0',
    'request = function()',
    '  i = i % #bodies + 1',
    '  return wrk.format(nil, nil, nil, bodies[i])',
    'end',
    '',
  ].join('\n');
}

/** The figures of wrk's text report (it has no machine-readable one without a Lua `done`). */
export function parseWrk(output: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(output);
  if (total === null) throw new Error(`wrk printed no request count:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests: Number(total[1]),
    seconds: toMs(Number(total[2]), total[3] ?? 's') / 1000,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    errors: socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0),
    p50Ms: percentile(output, '50%'),
    p99Ms: percentile(output, '99%'),
  };
}

function percentile(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  return match === null ? 0 : toMs(Number(match[1]), match[2] ?? 'ms');
}

function toMs(value: number, unit: string): number {
  switch (unit) {
    case 'us': return value / 1000;
    case 'ms': return value;
    case 'm': return value * 60_000;
    default: return value * 1000;
  }
}
