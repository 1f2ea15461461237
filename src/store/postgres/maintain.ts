import type pg from 'pg';
import { emptyReport, retentionCutoffUs, type TelemetryMaintenanceOptions, type TelemetryMaintenanceReport } from '../contract/maintenance.js';
import { DEFAULT_PARTITIONS_AHEAD, planPartitions } from './partition-plan.js';
import { createPartition, PARTITION_LOCK, telemetryPartitions } from './partitions.js';
import { inTransaction } from './statements.js';
import { applyPgRetention } from './retention.js';
import { compactInstallSketches, deleteExpiredInstallSketches } from './install-sketch-maintenance.js';

/*
 * Creating or dropping a partition takes an ACCESS EXCLUSIVE lock on telemetry. Waiting behind a
 * long summary would queue every insert behind this pass, so give up instead: the pass fails,
 * is logged and runs again at the next tick. Set after the advisory lock, whose wait it would cut short too.
 */
const LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

/**
 * `Store.maintainTelemetry` for PostgreSQL: one transaction that takes a per-schema advisory
 * lock (concurrent passes from several instances run one after the other, the later finding
 * nothing to do), makes the missing partitions of the configured interval (partition-plan.ts:
 * never overlapping those already there, whatever interval made them), then applies retention. All or nothing:
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
    const interval = options.partitionInterval ?? 'month';
    const ahead = options.partitionsAhead ?? (interval === 'month' ? options.monthsAhead : undefined) ?? DEFAULT_PARTITIONS_AHEAD[interval];
    for (const range of planPartitions(interval, options.nowUs, ahead, await telemetryPartitions(client))) {
      const made = await createPartition(client, range);
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
