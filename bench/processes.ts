import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from './cleanup.js';

/** A Node child process that is killed when the bench exits, however it exits. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The last few KiB the child wrote to stderr, for error messages. */
  stderrTail(): string;
}

const TAIL_BYTES = 4096;

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Flags for node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
}

/** Starts `node [nodeArgs] script ...args`, stdout discarded, stderr kept (tail only). */
export function spawnNode(name: string, script: string, args: readonly string[], options: SpawnOptions = {}): Child {
  const argv = [...(options.nodeArgs ?? []), script, ...args];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: options.env ?? process.env });
  let tail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-TAIL_BYTES);
  });
  const forget = onCleanup(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      forget();
      resolve(code);
    });
  });
  return { name, process: child, exited, stderrTail: () => tail.trim() };
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. Returns the exit code. */
export async function stopChild(child: Child, graceMs = 15_000): Promise<number | null> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.process.exitCode;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers with any HTTP status; fails if the child exits or time runs out. */
export async function waitUntilAnswering(child: Child, url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited before answering (code ${child.process.exitCode}): ${child.stderrTail()}`);
    }
    if (await answers(url)) return;
    await sleep(100);
  }
  throw new Error(`${child.name} did not answer at ${url} within ${timeoutMs} ms: ${child.stderrTail()}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}
