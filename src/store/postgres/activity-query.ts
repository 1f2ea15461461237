import type pg from 'pg';
import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import { selectRows } from './statements.js';

// created_at bounds prune the monthly partitions; floor division keeps buckets aligned to UTC.
const ACTIVITY_SQL = `SELECT product_id, data_group, data_type, (created_at / $1) * $1 AS bucket_start_us,
    COUNT(*) FILTER (WHERE has_red_flags = 0)::int AS clean, COUNT(*) FILTER (WHERE has_red_flags = 1)::int AS flagged
  FROM telemetry
  WHERE created_at BETWEEN $2 AND $3
  GROUP BY product_id, data_group, data_type, bucket_start_us`;

/** `TelemetryStore.activity` for PostgreSQL. */
export async function activityRows(db: pg.Pool, request: ActivityRequest): Promise<ActivityRow[]> {
  return selectRows<ActivityRow>(db, ACTIVITY_SQL, [request.bucketUs, request.fromUs, request.toUs]);
}
