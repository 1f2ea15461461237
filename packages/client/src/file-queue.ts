import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { QueueStorage } from './queue-storage.js';
import type { QueuedReport } from './reports.js';

/**
 * The queue as an NDJSON file (Node). New reports are appended (one line each, so a crash mid-write
 * loses at most that torn last line, which `load` skips); after sends the whole queue is written to
 * a temporary file, fsynced and renamed over the old one, so the file is always whole.
 */
export class FileQueueStorage implements QueueStorage {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  async load(): Promise<QueuedReport[]> {
    let text: string;
    try {
      text = await fs.readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => parseLine(line));
  }

  async append(reports: readonly QueuedReport[]): Promise<void> {
    if (reports.length === 0) return;
    await fs.mkdir(path.dirname(this.#file), { recursive: true });
    const handle = await fs.open(this.#file, 'a');
    try {
      await handle.appendFile(reports.map((r) => JSON.stringify(r) + '\n').join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async replace(reports: readonly QueuedReport[]): Promise<void> {
    await fs.mkdir(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${randomUUID()}.tmp`;
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(reports.map((r) => JSON.stringify(r) + '\n').join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, this.#file);
  }
}

function parseLine(line: string): QueuedReport[] {
  if (line.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(line);
    const ok = typeof value === 'object' && value !== null && typeof (value as { event_id?: unknown }).event_id === 'string';
    return ok ? [value as QueuedReport] : [];
  } catch {
    return [];
  }
}
