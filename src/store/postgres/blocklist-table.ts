import type pg from 'pg';
import type { BlockEntry, BlockKind, NewBlockEntry } from '../../model/blocklist.js';
import { BLOCKLIST_COLUMNS } from '../contract/registry-columns.js';
import type { BlocklistStore } from '../contract/store.js';
import { rethrowDuplicate } from './duplicate-error.js';
import { changedRows, selectRow, selectRows } from './statements.js';

interface BlockRow {
  id: number | string;
  kind: BlockKind;
  value: string;
  product_id: number | string | null;
  reason: string | null;
  ignore_case: number;
  created_at: string;
}

function toEntry(row: BlockRow): BlockEntry {
  return { ...row, id: Number(row.id), product_id: row.product_id === null ? null : Number(row.product_id), ignore_case: row.ignore_case === 1 };
}

/** The blocklist in PostgreSQL; every method is one statement. */
export class PgBlocklistTable implements BlocklistStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async add(entry: NewBlockEntry): Promise<BlockEntry> {
    const row = await rethrowDuplicate('This blocklist entry', () =>
      selectRow<BlockRow>(
        this.#db,
        `INSERT INTO blocklist (kind, value, product_id, reason, ignore_case, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${BLOCKLIST_COLUMNS}`,
        [entry.kind, entry.value, entry.product_id, entry.reason, entry.ignore_case ? 1 : 0, new Date().toISOString()],
      ),
    );
    if (row === null) throw new Error('INSERT … RETURNING gave no blocklist row');
    return toEntry(row);
  }

  async remove(id: number): Promise<boolean> {
    return (await changedRows(this.#db, 'DELETE FROM blocklist WHERE id = $1', [id])) > 0;
  }

  async list(): Promise<BlockEntry[]> {
    return (await selectRows<BlockRow>(this.#db, `SELECT ${BLOCKLIST_COLUMNS} FROM blocklist ORDER BY id`)).map(toEntry);
  }
}
