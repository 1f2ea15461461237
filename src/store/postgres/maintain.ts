import type pg from 'pg';
import { emptyReport, retentionCutoffUs, type TelemetryMaintenanceOptions, type TelemetryMaintenanceReport } from '../contract/maintenance.js';
import { ensurePartition, monthsToPrepare, PARTITION_LOCK } from './partitions.js';
import { inTransaction } from './statements.js';
import { applyPgRetention } from './retention.js';
import { compactInstallSketches, deleteExpiredInstallSketches } from './install-sketch-maintenance.js';

const DEFAULT_MONTHS_AHEAD = 2;
/*
 * Creating or dropping a partition takes an ACCESS EXCLUSIVE lock on telemetry. Waiting behind a
 * long summary would queue every insert behind this pass, so give up instead: the pass fails,
 * is logged and runs again at the next tick. Set after the advisory lock, whose wait it would cut short too.
 */
const LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

/**
 * `Store.maintainTelemetry` for PostgreSQL: one transaction that takes a per-schema advisory
 * lock (concurrent passes from several instances run one after the other, the later finding
 * nothing to do), makes the missing monthly partitions, then applies retention. All or nothing:
 * a failed pass leaves no half-made partition.
 */
export async function maintainPgTelemetry(
  pool: pg.Pool,
  options: TelemetryMaintenanceOptions,
): Promise<TelemetryMaintenanceReport> {
  const report = emptyReport(retentionCutoffUs(options.nowUs, options.retentionDays));
  // The install sketches' delta rows merged first, in transactions of their own (no partition lock needed).
  await compactInstallSketches(pool);
  return inTransaction(pool, async (client) => {
    await client.query(PARTITION_LOCK);
    await client.query(LOCK_TIMEOUT);
    for (const month of monthsToPrepare(options.nowUs, options.monthsAhead ?? DEFAULT_MONTHS_AHEAD)) {
      const made = await ensurePartition(client, month);
      if (made === null) continue;
      report.partitionsCreated.push(made.name);
      report.rowsMoved += made.moved;
    }
    if (report.cutoffUs === null) return report;
    const removed = await applyPgRetention(client, report.cutoffUs);
    await deleteExpiredInstallSketches(client, report.cutoffUs);
    report.partitionsDropped = removed.dropped;
    report.rowsDeleted = removed.deleted;
    return report;
  });
}
