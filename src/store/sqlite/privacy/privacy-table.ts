import type Database from 'better-sqlite3';
import { subjectFilter, type PrivacySubject } from '../../../model/privacy-subject.js';
import { type ErasureCounts, type ErasureOptions, type PrivacyStore } from '../../contract/privacy-store.js';
import { filterCondition, type SqlValue } from '../queries/filter-condition.js';
import { BLOCK_SIZE } from '../time-blocks/time-blocks.js';
import type { ErasedMachine } from '../../contract/install-rollup.js';
import { SqliteFirstSeenErasure } from './first-seen-erasure.js';
import { SqliteRollups } from '../rollups/rollup-upkeep.js';
import { SqliteLicenseReportCounts } from '../telemetry/license-report-counts.js';
import { SqliteFlaggedValueCounts } from '../telemetry/flagged-value-counts.js';

type EraseStep = (fromId: number, toId: number, params: readonly SqlValue[], machines: Map<string, ErasedMachine>) => ErasureCounts;

/**
 * `PrivacyStore` for SQLite, on the store's own connection. An erasure deletes one id range per
 * transaction (a time block's 4,096 ids by default, `id BETWEEN`: a primary-key range, whatever
 * the subject, as retention deletes) and the event ids of the
 * deleted records (index `telemetry_event_ids_telemetry`), then yields to the event loop.
 */
export class SqlitePrivacyTable implements PrivacyStore {
  readonly #db: Database.Database;
  readonly #idRange: Database.Statement<[], { low: number | null; high: number | null }>;
  readonly #steps = new Map<string, EraseStep>();
  readonly #insertSetting: Database.Statement<[string, string]>;
  readonly #getSetting: Database.Statement<[string], string>;
  readonly #firstSeen: SqliteFirstSeenErasure;
  /** Kept with the records: rollups, license counts, flagged value counts (decisions 0033, 0040, 0043). */
  readonly #counts: readonly { subtract(where: string, params: readonly SqlValue[]): () => void }[];

  constructor(db: Database.Database) {
    this.#db = db;
    this.#counts = [new SqliteRollups(db), new SqliteLicenseReportCounts(db), new SqliteFlaggedValueCounts(db)];
    this.#idRange = db.prepare('SELECT MIN(id) AS low, MAX(id) AS high FROM telemetry');
    this.#insertSetting = db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
    this.#getSetting = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck();
    this.#firstSeen = new SqliteFirstSeenErasure(db);
  }

  async erase(subject: PrivacySubject, options: ErasureOptions = {}): Promise<ErasureCounts> {
    const condition = filterCondition(subjectFilter(subject));
    const step = this.#stepFor(condition.sql);
    const { low, high } = this.#idRange.get() ?? { low: null, high: null };
    const total: ErasureCounts = { records: 0, eventIds: 0 };
    if (low === null || high === null) return total;
    const size = options.stepIds ?? BLOCK_SIZE;
    const machines = new Map<string, ErasedMachine>();
    for (let from = low; from <= high; from += size) {
      const done = step(from, Math.min(from + size - 1, high), condition.params, machines);
      total.records += done.records;
      total.eventIds += done.eventIds;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await this.#firstSeen.apply([...machines.values()], low, size);
    return total;
  }

  async settingIfAbsent(name: string, value: string): Promise<string> {
    this.#insertSetting.run(name, value);
    return this.#getSetting.get(name) ?? value;
  }

  /** One transaction per step, prepared once per shape of condition (which subject fields are given). */
  #stepFor(condition: string): EraseStep {
    const known = this.#steps.get(condition);
    if (known !== undefined) return known;
    type Gone = { id: number; product_id: number | null; activation_identifier: string | null };
    const rows = this.#db.prepare<SqlValue[], Gone>(`DELETE FROM telemetry WHERE id BETWEEN ? AND ? AND ${condition} RETURNING id, product_id, activation_identifier`);
    const eventIds = this.#db.prepare<[number]>('DELETE FROM telemetry_event_ids WHERE telemetry_id = ?');
    const step = this.#db.transaction((fromId: number, toId: number, params: readonly SqlValue[], machines: Map<string, ErasedMachine>): ErasureCounts => {
      // The erased records leave the rollups, license counts and flagged value counts too, in the same transaction
      // (decisions 0033, 0040, 0043): an erased identifier keeps no row of its own.
      const erased = `id BETWEEN ? AND ? AND ${condition}`;
      const settle = this.#counts.map((kept) => kept.subtract(erased, [fromId, toId, ...params]));
      const gone = rows.all(fromId, toId, ...params);
      for (const done of settle) done();
      let events = 0;
      for (const { id, product_id: productId, activation_identifier: machine } of gone) {
        events += eventIds.run(id).changes;
        if (productId !== null && machine !== null) machines.set(JSON.stringify([productId, machine]), { productId, machine });
      }
      return { records: gone.length, eventIds: events };
    });
    this.#steps.set(condition, step);
    return step;
  }
}
