/** A JSON value, for report metadata. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Fields every report carries (Tally's CONTRACT §3). */
export interface ReportBase {
  product_id: number;
  user_identifier: string;
  license_key: string;
  activation_identifier: string;
  product_version: string;
  data_group: string;
  /** Idempotency key (a UUID). The client sets one when absent, so a retry is never stored twice. */
  event_id?: string;
  /**
   * When the report happened (ISO-8601 or Unix seconds). The client sets the time it was queued
   * when absent, so a report sent late, from the offline queue, counts on the day it happened.
   */
  reported_at?: string | number;
  /** Extra fields, sent beside the others; Tally keeps them as the record's `metadata`. */
  metadata?: Record<string, JsonValue>;
}

export interface NumericSingleValueReport extends ReportBase {
  data_type: 'numeric-single-value';
  numeric_data_single_value: number;
}

export interface NumericXyReport extends ReportBase {
  data_type: 'numeric-xy-axis';
  numeric_data_x: number;
  numeric_data_y: number;
}

export interface TextReport extends ReportBase {
  data_type: 'text';
  text_data: string;
}

/** A report, typed by its data_type. */
export type TelemetryReport = NumericSingleValueReport | NumericXyReport | TextReport;

/**
 * A report as it waits in the queue and goes on the wire: flat fields, event_id and reported_at set
 * (a queue written by an older client may hold reports without reported_at: they are sent without).
 */
export type QueuedReport = Record<string, JsonValue> & { event_id: string; reported_at?: string | number };

/**
 * The wire form: metadata spread beside the fields (a field wins over a metadata key of the same
 * name), with an event_id and the time it was queued (`reported_at`, ISO with milliseconds) unless
 * the report has its own.
 */
export function toQueued(report: TelemetryReport, newId: () => string, now: () => Date = () => new Date()): QueuedReport {
  const { metadata, ...fields } = report;
  return { ...metadata, ...fields, event_id: report.event_id ?? newId(), reported_at: report.reported_at ?? now().toISOString() } as QueuedReport;
}
