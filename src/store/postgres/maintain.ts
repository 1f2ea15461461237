import type pg from 'pg';
import { emptyReport, retentionCutoffUs, type TelemetryMaintenanceOptions, type TelemetryMaintenanceReport } from '../contract/maintenance.js';
import { DEFAULT_MAX_REPORT_AGE_DAYS } from '../../model/record-time.js';
import { DEFAULT_PARTITIONS_AHEAD, planPartitions, type PartitionRange } from './partition-plan.js';
import { changesAny, dropRollupPartitions, makeRollupPartitions, planRollupPartitions, rollupFloors } from './rollup-partitions.js';
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

/** The rollup tables' DDL waits for every insert (each writes them); the order inserts lock them in, so no deadlock. */
const LOCK_ALL = 'LOCK TABLE telemetry, telemetry_rollups, telemetry_rollup_bins, install_sketches IN ACCESS EXCLUSIVE MODE';

/**
 * `Store.maintainTelemetry` for PostgreSQL: one transaction that takes a per-schema advisory
 * lock (concurrent passes from several instances run one after the other, the later finding
 * nothing to do), makes the missing partitions of the configured interval (partition-plan.ts:
 * never overlapping those already there, whatever interval made them) and the rollups' monthly
 * ones (rollup-partitions.ts), then applies retention, dropping rollup months no kept record can
 * fall in last. All or nothing: a failed pass leaves no half-made partition.
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
    const existing = await telemetryPartitions(client);
    const planned = planPartitions(interval, options.nowUs, ahead, existing);
    const floors = rollupFloors(oldestCreatedKept(existing, report.cutoffUs), report.cutoffUs, options.maxReportAgeDays ?? DEFAULT_MAX_REPORT_AGE_DAYS);
    const rollupPlans = await planRollupPartitions(client, options.nowUs, floors);
    // Before any rollup row is locked by retention's subtraction: an insert waiting on one while
    // holding telemetry would otherwise deadlock with this pass waiting for telemetry.
    if (changesAny(rollupPlans)) await client.query(LOCK_ALL);
    for (const range of planned) {
      const made = await createPartition(client, range);
      report.partitionsCreated.push(made.name);
      report.rowsMoved += made.moved;
    }
    const made = await makeRollupPartitions(client, rollupPlans);
    report.rollups.partitionsCreated = made.created;
    report.rollups.rowsMoved = made.moved;
    if (report.cutoffUs === null) return report;
    const removed = await applyPgRetention(client, report.cutoffUs);
    report.rollups.partitionsDropped = await dropRollupPartitions(client, rollupPlans);
    await deleteExpiredInstallSketches(client, report.cutoffUs);
    report.partitionsDropped = removed.dropped;
    report.rowsDeleted = removed.deleted;
    return report;
  });
}

/**
 * The oldest created_at a record can have once retention has run: the cutoff, or the start of a
 * partition that is only partly expired (kept whole until its range has passed). Null without retention.
 */
function oldestCreatedKept(partitions: readonly PartitionRange[], cutoffUs: number | null): number | null {
  if (cutoffUs === null) return null;
  return Math.min(cutoffUs, ...partitions.filter((p) => p.toUs > cutoffUs).map((p) => p.fromUs));
}
