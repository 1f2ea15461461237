import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Synchronous clean-up tasks (kill a child, remove a temp dir) that must run however the
 * bench ends: normal exit, a thrown error, or Ctrl-C. Each task runs at most once.
 */
const tasks = new Set<() => void>();

/** Registers a task; the returned function unregisters it (when the work was undone normally). */
export function onCleanup(task: () => void): () => void {
  tasks.add(task);
  return () => tasks.delete(task);
}

export function runCleanup(): void {
  for (const task of [...tasks].reverse()) {
    try {
      task();
    } catch {
      // Best effort: one failed task must not keep a child process alive.
    }
  }
  tasks.clear();
}

/** Runs the tasks on exit and on SIGINT/SIGTERM (then exits 128 + signal number). */
export function installCleanupHandlers(): void {
  process.once('exit', runCleanup);
  process.once('SIGINT', () => exitOnSignal(130));
  process.once('SIGTERM', () => exitOnSignal(143));
}

function exitOnSignal(code: number): void {
  runCleanup();
  process.exit(code);
}

/** Runs `work` in a new temp directory that is removed afterwards, however the bench ends. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const forget = onCleanup(remove);
  try {
    return await work(dir);
  } finally {
    forget();
    remove();
  }
}
