import type Database from 'better-sqlite3';

/**
 * created_at summaries of consecutive id ranges ("blocks"), as PostgreSQL's BRIN indexes
 * summarise pages. created_at grows with id almost, but not strictly, monotonically (clock
 * steps, group commits), so a created_at range cannot be turned into an id range by looking at
 * a few rows. Each block keeps the least and greatest created_at of its ids, updated by
 * every insert in the same transaction (a statement per commit, not per row); the blocks whose
 * range meets [from, to] bound an id window that is guaranteed to hold every matching record,
 * so a date-filtered page scans only that window of the id-ordered indexes.
 */

/** Inclusive id bounds that contain every record of a created_at range. */
export interface IdWindow {
  fromId: number;
  toId: number;
}

/** Ids per block; migration 4 wrote `id / 4096` too. ~2,500 summary rows per 10M records. */
export const BLOCK_SIZE = 4096;

/** One block's created_at range within a batch of inserted records. */
export interface BlockSpan {
  block: number;
  minUs: number;
  maxUs: number;
}

/** The created_at range per block of a batch of inserted ids (usually one block, rarely more). */
export function blockSpans(ids: readonly number[], createdAtUs: (index: number) => number): BlockSpan[] {
  const spans: BlockSpan[] = [];
  let current: BlockSpan | undefined;
  for (let i = 0; i < ids.length; i++) {
    const block = Math.floor((ids[i] ?? 0) / BLOCK_SIZE);
    const us = createdAtUs(i);
    if (current?.block !== block) {
      current = spans.find((span) => span.block === block) ?? { block, minUs: us, maxUs: us };
      if (!spans.includes(current)) spans.push(current);
    }
    current.minUs = Math.min(current.minUs, us);
    current.maxUs = Math.max(current.maxUs, us);
  }
  return spans;
}

/** The ids from the first of the lowest block to the last of the highest. */
export function blockWindow(lowestBlock: number, highestBlock: number): IdWindow {
  return { fromId: lowestBlock * BLOCK_SIZE, toId: (highestBlock + 1) * BLOCK_SIZE - 1 };
}

const UPSERT = `INSERT INTO telemetry_time_blocks (block, min_created_at, max_created_at) VALUES (?, ?, ?)
  ON CONFLICT (block) DO UPDATE SET
    min_created_at = MIN(min_created_at, excluded.min_created_at),
    max_created_at = MAX(max_created_at, excluded.max_created_at)`;

/** The block summaries of one SQLite database. */
export class SqliteTimeBlocks {
  readonly #upsert: Database.Statement<[number, number, number]>;
  readonly #lowest: Database.Statement<[number], number | null>;
  readonly #highest: Database.Statement<[number], number | null>;

  constructor(db: Database.Database) {
    this.#upsert = db.prepare(UPSERT);
    this.#lowest = db.prepare<[number], number | null>('SELECT MIN(block) FROM telemetry_time_blocks WHERE max_created_at >= ?').pluck();
    this.#highest = db.prepare<[number], number | null>('SELECT MAX(block) FROM telemetry_time_blocks WHERE min_created_at <= ?').pluck();
  }

  /** Call inside the transaction that inserted the records, with their ids in the same order. */
  record(ids: readonly number[], createdAtUs: (index: number) => number): void {
    for (const span of blockSpans(ids, createdAtUs)) this.#upsert.run(span.block, span.minUs, span.maxUs);
  }

  /** The id window holding every record created in [fromUs, toUs]; null when no record can be. */
  window(fromUs: number | undefined, toUs: number | undefined): IdWindow | null {
    const lowest = fromUs === undefined ? 0 : this.#lowest.get(fromUs);
    if (lowest === null || lowest === undefined) return null;
    if (toUs === undefined) return { fromId: blockWindow(lowest, lowest).fromId, toId: Number.MAX_SAFE_INTEGER };
    const highest = this.#highest.get(toUs);
    if (highest === null || highest === undefined || highest < lowest) return null;
    return blockWindow(lowest, highest);
  }
}
