/**
 * How much time one PostgreSQL telemetry partition spans (docs/scaling.md, decision 0036): a UTC
 * calendar month (the default), an ISO week (Monday to Monday, UTC) or a UTC day.
 */
export const PARTITION_INTERVALS = ['month', 'week', 'day'] as const;
export type PartitionInterval = (typeof PARTITION_INTERVALS)[number];
