import type pg from 'pg';
import { emptyReport, retentionCutoffUs, type TelemetryMaintenanceOptions, type TelemetryMaintenanceReport } from '../contract/maintenance.js';
import { DEFAULT_MAX_REPORT_AGE_DAYS } from '../../model/record-time.js';
import { DEFAULT_PARTITIONS_AHEAD, planPartitions, type PartitionRange } from './partition-plan.js';
import { planRollupPartitions, rollupFloors, type RollupPartitionPlan } from './rollup-partitions.js';
import { createPartition, telemetryPartitions } from './partitions.js';
import { ddlStep, withMaintenanceSession } from './maintenance-session.js';
import { applyPgRetention, finishUnfinishedRetention } from './retention.js';
import { RETENTION_STEP_ROWS } from './detached-retention.js';
import { compactInstallSketches, deleteExpiredInstallSketches } from './install-sketch-maintenance.js';
import { compactNewMachines } from './new-machines-compaction.js';

/**
 * `Store.maintainTelemetry` for PostgreSQL (docs/decisions/0041-maintenance-locks.md): on one
 * connection holding a per-schema advisory lock (passes of several instances run one after the
 * other, the later finding nothing to do), a series of short transactions, none holding a lock
 * an insert waits for longer than one DDL statement (or, for a late report into an expired
 * hour, one range of the retention's subtraction):
 * finish any expired partition an earlier pass left detached; make the missing partitions of the
 * configured interval (partition-plan.ts: never overlapping those already there, whatever interval
 * made them) and the rollups' monthly ones (rollup-partitions.ts), one transaction each; apply
 * retention (retention.ts); drop rollup months no kept record can fall in, one transaction each.
 * A failed pass leaves every step it finished done and the others for the next pass.
 */
export async function maintainPgTelemetry(
  pool: pg.Pool,
  options: TelemetryMaintenanceOptions,
): Promise<TelemetryMaintenanceReport> {
  const report = emptyReport(retentionCutoffUs(options.nowUs, options.retentionDays));
  const stepRows = options.retentionStepRows ?? RETENTION_STEP_ROWS;
  // The install sketches' and new-machine counts' delta rows merged first, in transactions of their own (no partition lock needed).
  await compactInstallSketches(pool);
  await compactNewMachines(pool);
  return withMaintenanceSession(pool, async (client) => {
    report.partitionsDropped.push(...(await finishUnfinishedRetention(client, stepRows)));
    const interval = options.partitionInterval ?? 'month';
    const ahead = options.partitionsAhead ?? (interval === 'month' ? options.monthsAhead : undefined) ?? DEFAULT_PARTITIONS_AHEAD[interval];
    const existing = await telemetryPartitions(client);
    for (const range of planPartitions(interval, options.nowUs, ahead, existing)) {
      const made = await ddlStep(client, () => createPartition(client, range));
      report.partitionsCreated.push(made.name);
      report.rowsMoved += made.moved;
    }
    const floors = rollupFloors(oldestCreatedKept(existing, report.cutoffUs), report.cutoffUs, options.maxReportAgeDays ?? DEFAULT_MAX_REPORT_AGE_DAYS);
    const rollupPlans = await planRollupPartitions(client, options.nowUs, floors);
    for (const plan of rollupPlans) {
      for (const range of plan.create) {
        const made = await ddlStep(client, () => createPartition(client, range, plan.table));
        report.rollups.partitionsCreated.push(made.name);
        report.rollups.rowsMoved += made.moved;
      }
    }
    if (report.cutoffUs === null) return report;
    const removed = await applyPgRetention(client, report.cutoffUs, stepRows);
    report.partitionsDropped.push(...removed.dropped);
    report.rowsDeleted = removed.deleted;
    await deleteExpiredInstallSketches(client, report.cutoffUs);
    report.rollups.partitionsDropped = await dropRollupMonths(client, rollupPlans);
    return report;
  });
}

/** Drops the planned rollup months, one DDL transaction each; after retention has subtracted its records. */
async function dropRollupMonths(client: pg.PoolClient, plans: readonly RollupPartitionPlan[]): Promise<string[]> {
  const dropped = plans.flatMap((plan) => plan.drop);
  for (const name of dropped) await ddlStep(client, () => client.query(`DROP TABLE "${name}"`));
  return dropped;
}

/**
 * The oldest created_at a record can have once retention has run: the cutoff, or the start of a
 * partition that is only partly expired (kept whole until its range has passed). Null without retention.
 */
function oldestCreatedKept(partitions: readonly PartitionRange[], cutoffUs: number | null): number | null {
  if (cutoffUs === null) return null;
  return Math.min(cutoffUs, ...partitions.filter((p) => p.toUs > cutoffUs).map((p) => p.fromUs));
}
