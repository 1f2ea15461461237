import type pg from 'pg';
import { DAY_US } from '../../model/clock.js';
import { firstSketchDayKept } from '../contract/install-rollup.js';
import { nextIntervalStart, planPartitions, type PartitionRange } from './partition-plan.js';
import { defaultMonths, partitionsOf, ROLLUP_TABLES, type PartitionedTable, type TelemetryPartition } from './partitions.js';

/**
 * Monthly partitions of the rollup tables (docs/decisions/0039-rollup-partitions.md): made ahead
 * (this month and the next two) and for any month whose rows sit in a DEFAULT partition, dropped
 * whole once no record that can still exist falls in them. Monthly whatever telemetry's
 * `--partition-interval`: the rollups are small, and reads of 90 days touch three or four months.
 */

/** Rollup months made after the current one. */
export const ROLLUP_MONTHS_AHEAD = 2;

/**
 * A record created at `created_at` has record time ≥ created_at − max report age (decision 0026);
 * this much more is kept for clocks read a moment apart at ingest.
 */
const FLOOR_MARGIN_US = DAY_US;

/** The partition work of one table for one pass. */
export interface RollupPartitionPlan {
  table: PartitionedTable;
  create: PartitionRange[];
  drop: string[];
}

/**
 * Where each rollup table's droppable months end (µs), given the oldest created_at any telemetry
 * record can still have after this pass's retention: months ending at or before it are dropped.
 * Rollup counts: that time − max report age − margin (every kept record's record time is later;
 * every later report's too). Install sketches: the first day kept by their retention (decision
 * 0034), whose earlier days are deleted anyway. Null when retention is off.
 */
export function rollupFloors(oldestCreatedUs: number | null, cutoffUs: number | null, maxReportAgeDays: number): ReadonlyMap<string, number> | null {
  if (oldestCreatedUs === null || cutoffUs === null) return null;
  const counts = oldestCreatedUs - maxReportAgeDays * DAY_US - FLOOR_MARGIN_US;
  return new Map([
    ['telemetry_rollups', counts],
    ['telemetry_rollup_bins', counts],
    ['install_sketches', firstSketchDayKept(cutoffUs) * DAY_US],
  ]);
}

/** The months of `table` to make: those ahead, and those of DEFAULT rows above the floor that no partition covers. */
export function monthsToMake(nowUs: number, existing: readonly PartitionRange[], inDefault: readonly number[], floorUs: number | null): PartitionRange[] {
  const planned = planPartitions('month', nowUs, ROLLUP_MONTHS_AHEAD, existing);
  const taken = [...existing, ...planned];
  for (const fromUs of inDefault) {
    const range = { fromUs, toUs: nextIntervalStart('month', fromUs) };
    if (floorUs !== null && range.toUs <= floorUs) continue;
    if (taken.some((other) => other.fromUs < range.toUs && range.fromUs < other.toUs)) continue;
    planned.push(range);
    taken.push(range);
  }
  return planned.sort((a, b) => a.fromUs - b.fromUs);
}

/** What this pass does to the rollup tables' partitions; `floors` from rollupFloors. */
export async function planRollupPartitions(client: pg.PoolClient, nowUs: number, floors: ReadonlyMap<string, number> | null): Promise<RollupPartitionPlan[]> {
  const plans: RollupPartitionPlan[] = [];
  for (const table of ROLLUP_TABLES) {
    const existing: TelemetryPartition[] = await partitionsOf(client, table);
    const floorUs = floors?.get(table.parent) ?? null;
    const drop = floorUs === null ? [] : existing.filter((p) => p.toUs <= floorUs).map((p) => p.name);
    plans.push({ table, create: monthsToMake(nowUs, existing, await defaultMonths(client, table), floorUs), drop });
  }
  return plans;
}
