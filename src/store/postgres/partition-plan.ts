import { DAY_US } from '../../model/clock.js';
import type { PartitionInterval } from '../../model/partition-interval.js';

/** A half-open range of created_at (µs) that one partition holds. */
export interface PartitionRange {
  fromUs: number;
  toUs: number;
}

/** Partitions of each interval made ahead of the current one when the caller does not say. */
export const DEFAULT_PARTITIONS_AHEAD: Readonly<Record<PartitionInterval, number>> = { month: 2, week: 2, day: 7 };

const US_PER_MS = 1000;
/** 1970-01-01 was a Thursday: ISO weeks start 3 days later, on Monday 1970-01-05. */
const MONDAY_OFFSET_US = 4 * DAY_US;
const WEEK_US = 7 * DAY_US;

/** The start of the interval (UTC) holding `timeUs`. */
export function intervalStart(interval: PartitionInterval, timeUs: number): number {
  switch (interval) {
    case 'day':
      return Math.floor(timeUs / DAY_US) * DAY_US;
    case 'week':
      return Math.floor((timeUs - MONDAY_OFFSET_US) / WEEK_US) * WEEK_US + MONDAY_OFFSET_US;
    case 'month': {
      const at = new Date(Math.floor(timeUs / US_PER_MS));
      return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) * US_PER_MS;
    }
  }
}

/** The start of the interval after the one holding `timeUs`. */
export function nextIntervalStart(interval: PartitionInterval, timeUs: number): number {
  const start = intervalStart(interval, timeUs);
  switch (interval) {
    case 'day':
      return start + DAY_US;
    case 'week':
      return start + WEEK_US;
    case 'month': {
      const at = new Date(start / US_PER_MS);
      return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) * US_PER_MS;
    }
  }
}

/**
 * The partitions to make so that the current interval and the `ahead` after it are covered,
 * given the `existing` ones (any sizes, from earlier settings). Never overlapping: a range already
 * covered is skipped, and a new partition stops where an existing one starts, so after a change of
 * interval the new size begins at the end of the last existing partition (a first partition may
 * be shorter than the interval, to reach the next boundary of the new size). Sorted by start.
 */
export function planPartitions(interval: PartitionInterval, nowUs: number, ahead: number, existing: readonly PartitionRange[]): PartitionRange[] {
  const sorted = [...existing].sort((a, b) => a.fromUs - b.fromUs);
  let horizonUs = intervalStart(interval, nowUs);
  for (let i = 0; i <= ahead; i += 1) horizonUs = nextIntervalStart(interval, horizonUs);
  const planned: PartitionRange[] = [];
  let cursor = intervalStart(interval, nowUs);
  while (cursor < horizonUs) {
    const covering = sorted.find((range) => range.fromUs <= cursor && cursor < range.toUs);
    if (covering !== undefined) {
      cursor = covering.toUs;
      continue;
    }
    const nextExisting = sorted.find((range) => range.fromUs > cursor)?.fromUs ?? Number.POSITIVE_INFINITY;
    const toUs = Math.min(nextIntervalStart(interval, cursor), nextExisting);
    planned.push({ fromUs: cursor, toUs });
    cursor = toUs;
  }
  return planned;
}

/**
 * `telemetry_2026_01` for a whole UTC calendar month (the name monthly partitions always had),
 * `telemetry_2026_01_15` for anything else, after the UTC day it starts on. Partitions never
 * overlap and always start at UTC midnight, so no two share a name. Partitions of another table
 * (the rollups: rollup-partitions.ts) start with that table's name instead.
 */
export function partitionName(range: PartitionRange, parent = 'telemetry'): string {
  const from = new Date(range.fromUs / US_PER_MS);
  const month = `${from.getUTCFullYear()}_${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  const wholeMonth = intervalStart('month', range.fromUs) === range.fromUs && nextIntervalStart('month', range.fromUs) === range.toUs;
  return wholeMonth ? `${parent}_${month}` : `${parent}_${month}_${String(from.getUTCDate()).padStart(2, '0')}`;
}

/**
 * The range of a partition from PostgreSQL's description of its bound
 * (`FOR VALUES FROM ('1717200000000000') TO ('1719792000000000')`); null for DEFAULT or anything else.
 */
export function parsePartitionBound(bound: string): PartitionRange | null {
  const match = /^FOR VALUES FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)$/.exec(bound.trim());
  if (!match) return null;
  return { fromUs: Number(match[1]), toUs: Number(match[2]) };
}
