import type pg from 'pg';
import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import { selectRows } from './statements.js';
import { RECORD_TIME_SQL } from '../contract/record-time-sql.js';

// The created_at bounds that the record-time range implies prune the monthly partitions; floor
// division keeps buckets aligned to UTC.
const ACTIVITY_SQL = `SELECT product_id, data_group, data_type, (${RECORD_TIME_SQL} / $1) * $1 AS bucket_start_us,
    COUNT(*) FILTER (WHERE has_red_flags = 0)::int AS clean, COUNT(*) FILTER (WHERE has_red_flags = 1)::int AS flagged
  FROM telemetry
  WHERE created_at BETWEEN $2 AND $3 AND ${RECORD_TIME_SQL} BETWEEN $4 AND $5
  GROUP BY product_id, data_group, data_type, bucket_start_us`;

/** `TelemetryStore.activity` for PostgreSQL. */
export async function activityRows(db: pg.Pool, request: ActivityRequest): Promise<ActivityRow[]> {
  return selectRows<ActivityRow>(db, ACTIVITY_SQL, [request.bucketUs, request.fromUs, request.toUs, request.recordFromUs, request.recordToUs]);
}
