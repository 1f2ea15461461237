import type Database from 'better-sqlite3';
import type { BlockEntry, NewBlockEntry } from '../../../model/blocklist.js';
import { BLOCKLIST_COLUMNS } from '../../contract/registry-columns.js';
import type { BlocklistStore } from '../../contract/store.js';
import { rethrowDuplicate } from './duplicate-error.js';

/** A blocklist row as SQLite gives it: ignore_case is 0/1. */
type BlockRow = Omit<BlockEntry, 'ignore_case'> & { ignore_case: number };

function toEntry(row: BlockRow): BlockEntry {
  return { ...row, ignore_case: row.ignore_case === 1 };
}

/** The blocklist in SQLite; the synchronous driver's answers wrapped in promises. */
export class SqliteBlocklistTable implements BlocklistStore {
  readonly #insert: Database.Statement<[string, string, number | null, string | null, number, string], BlockRow>;
  readonly #delete: Database.Statement<[number]>;
  readonly #list: Database.Statement<[], BlockRow>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare<[string, string, number | null, string | null, number, string], BlockRow>(
      `INSERT INTO blocklist (kind, value, product_id, reason, ignore_case, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${BLOCKLIST_COLUMNS}`,
    );
    this.#delete = db.prepare<[number]>('DELETE FROM blocklist WHERE id = ?');
    this.#list = db.prepare<[], BlockRow>(`SELECT ${BLOCKLIST_COLUMNS} FROM blocklist ORDER BY id`);
  }

  async add(entry: NewBlockEntry): Promise<BlockEntry> {
    const row = rethrowDuplicate('This blocklist entry', () =>
      this.#insert.get(entry.kind, entry.value, entry.product_id, entry.reason, entry.ignore_case ? 1 : 0, new Date().toISOString()),
    );
    if (row === undefined) throw new Error('INSERT … RETURNING gave no blocklist row');
    return toEntry(row);
  }

  async remove(id: number): Promise<boolean> {
    return this.#delete.run(id).changes > 0;
  }

  async list(): Promise<BlockEntry[]> {
    return this.#list.all().map(toEntry);
  }
}
