import type Database from 'better-sqlite3';
import type { ErasedMachine } from '../../contract/install-rollup.js';
import { RECORD_TIME_SQL as T } from '../../contract/record-time-sql.js';
import { INSTALLS_KEYS_SQL as KEYS } from '../queries/installs-keys-sql.js';

/**
 * After an erasure, the first-seen rows (they hold activation identifiers) of the machines whose
 * reports it deleted: deleted, then made again from the machines' remaining reports (another
 * person's reports of a shared machine), one id range per transaction as the erasure walks, so
 * the table keeps exactly each remaining machine's first report and nothing of the erased ones.
 */
export class SqliteFirstSeenErasure {
  /** Deletes the machines' rows; returns the largest telemetry id then stored (null: none). */
  readonly #forget: (machines: string) => number | null;
  readonly #rebuild: Database.Statement<[number, number, string]>;

  constructor(db: Database.Database) {
    const inList = `(product_id, activation_identifier) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`;
    const forget = db.prepare<[string]>(`DELETE FROM install_first_seen WHERE ${inList}`);
    const lastId = db.prepare<[], number | null>('SELECT MAX(id) FROM telemetry').pluck();
    this.#forget = db.transaction((machines: string) => {
      forget.run(machines);
      return lastId.get() ?? null;
    });
    this.#rebuild = db.prepare(`INSERT INTO install_first_seen (product_id, activation_identifier, first_time, version, os)
      SELECT product_id, activation_identifier, ${T}, ${KEYS.version}, ${KEYS.os} FROM telemetry
      WHERE id BETWEEN ? AND ? AND activation_identifier IS NOT NULL AND ${inList} ORDER BY id
      ON CONFLICT (product_id, activation_identifier) DO UPDATE SET first_time = excluded.first_time, version = excluded.version, os = excluded.os
      WHERE excluded.first_time < install_first_seen.first_time`);
  }

  /**
   * Forgets the machines, then walks from `low` by `step` ids making their rows again from what
   * remains. The walk ends at the last id stored when the rows were forgotten, not at the
   * erasure's own last id: a report another connection stored after the erasure began (ids past
   * its range), but before the forget, counted in the row the forget deleted and must count again.
   * A report stored after the forget keeps its machine's row itself, as every insert does.
   */
  async apply(machines: readonly ErasedMachine[], low: number, step: number): Promise<void> {
    if (machines.length === 0) return;
    const list = JSON.stringify(machines.map((m) => [m.productId, m.machine]));
    const high = this.#forget(list) ?? low - 1;
    for (let from = low; from <= high; from += step) {
      this.#rebuild.run(from, Math.min(from + step - 1, high), list);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
