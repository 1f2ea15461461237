import type pg from 'pg';
import { subjectFilter, type PrivacySubject } from '../../model/privacy-subject.js';
import { ERASURE_STEP_IDS, type ErasureCounts, type ErasureOptions, type PrivacyStore } from '../contract/privacy-store.js';
import { PgParams, pgFilterCondition } from './filter-condition.js';
import { inTransaction, selectRow } from './statements.js';
import type { ErasedMachine } from '../contract/install-rollup.js';
import { forgetErasedMachines } from './install-sketch-maintenance.js';
import { subtractRollups } from './rollup-upkeep.js';
import { subtractLicenseCounts } from './license-report-counts.js';
import { subtractFlaggedCounts } from './flagged-value-counts.js';

const ERASED = 'tally_erased';

/**
 * One erasure step: the subject's records in an id range, through the partitioned parent (every
 * partition and DEFAULT; ids are not the partition key, so each partition's id index is probed
 * for the range), kept in a temporary table for the rollups' subtraction, then their event ids.
 */
function stepSql(condition: string, from: string, to: string): string {
  return `WITH gone AS (DELETE FROM telemetry WHERE id BETWEEN ${from}::bigint AND ${to}::bigint AND ${condition} RETURNING *),
    kept AS (INSERT INTO ${ERASED} SELECT * FROM gone),
    events AS (DELETE FROM telemetry_event_ids WHERE telemetry_id IN (SELECT id FROM gone) RETURNING 1)
  SELECT (SELECT count(*) FROM gone)::int AS records, (SELECT count(*) FROM events)::int AS event_ids,
    (SELECT json_agg(DISTINCT jsonb_build_array(product_id, activation_identifier)) FROM gone
      WHERE product_id IS NOT NULL AND activation_identifier IS NOT NULL) AS machines`;
}

/** `PrivacyStore` for PostgreSQL: each step (with its rollup subtraction) commits on its own, so the server's writes go on between them. */
export class PgPrivacyTable implements PrivacyStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async erase(subject: PrivacySubject, options: ErasureOptions = {}): Promise<ErasureCounts> {
    const range = await selectRow<{ low: number | null; high: number | null }>(this.#pool, 'SELECT min(id) AS low, max(id) AS high FROM telemetry');
    const total: ErasureCounts = { records: 0, eventIds: 0 };
    if (range === null || range.low === null || range.high === null) return total;
    const size = options.stepIds ?? ERASURE_STEP_IDS;
    const machines = new Map<string, ErasedMachine>();
    for (let from = range.low; from <= range.high; from += size) {
      const params = new PgParams();
      const bounds = [params.add(from), params.add(Math.min(from + size - 1, range.high))] as const;
      const condition = pgFilterCondition(subjectFilter(subject), params);
      const sql = stepSql(condition, ...bounds);
      // Exactly the records this step's DELETE removed leave the rollups, the license counts and the flagged value counts,
      // in the same transaction (decisions 0033, 0040, 0041, 0043): one deleted meanwhile by retention is not in it, nor subtracted twice.
      const done = await inTransaction(this.#pool, async (client) => {
        await client.query(`CREATE TEMP TABLE ${ERASED} ON COMMIT DROP AS SELECT * FROM telemetry WITH NO DATA`);
        const counts = await selectRow<{ records: number; event_ids: number; machines: [number, string][] | null }>(client, sql, params.values);
        if ((counts?.records ?? 0) > 0) {
          // Rollups (bins, then counts), license counts, flagged value counts: the order an insert locks their rows
          // (telemetry-table.ts). An erased identifier's flagged counts fall to zero and their rows go (decision 0043).
          await subtractRollups(client, ERASED);
          await (await subtractLicenseCounts(client, ERASED))();
          await (await subtractFlaggedCounts(client, ERASED))();
        }
        return counts;
      });
      total.records += done?.records ?? 0;
      total.eventIds += done?.event_ids ?? 0;
      for (const [productId, machine] of done?.machines ?? []) machines.set(JSON.stringify([productId, machine]), { productId, machine });
    }
    // The first-seen rows hold activation identifiers: they follow the erasure (install-sketch-maintenance.ts).
    await forgetErasedMachines(this.#pool, [...machines.values()], range.low, range.high, size);
    return total;
  }

  async settingIfAbsent(name: string, value: string): Promise<string> {
    await this.#pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value]);
    const row = await selectRow<{ value: string }>(this.#pool, 'SELECT value FROM settings WHERE name = $1', [name]);
    return row?.value ?? value;
  }
}
