import { createHash } from 'node:crypto';
import type { NewTelemetryRecord } from '../model/record.js';
import { isWritten, RECORD_COLUMNS, type ColumnType, type RecordColumn } from '../model/record-columns.js';
import { parseInstant } from '../model/parse-instant.js';
import { DAY_US } from '../model/clock.js';
import { REPORTED_AHEAD_MAX_US } from '../model/record-time.js';

/** What a line of an import holds: a record ready to store, or why it is not one. */
export type PublicRecordReading = { ok: true; record: NewTelemetryRecord } | { ok: false; error: string };

/** A written column the public record shows, and the key it is read from (the first of its public keys). */
interface ImportedColumn {
  field: string;
  key: string;
  type: ColumnType;
  nullable: boolean;
  isoTime: boolean;
}

const WRITTEN = RECORD_COLUMNS.filter(isWritten) as readonly RecordColumn[];

/** Shown by the public record, or by the admin record (the client's address, kept when an export has it). */
const IMPORTED: readonly ImportedColumn[] = WRITTEN.flatMap((column) =>
  column.public === undefined && column.operator === undefined
    ? []
    : [{ field: column.field, key: column.publicKeys?.[0] ?? column.field, type: column.type, nullable: column.nullable, isoTime: column.public === 'iso-time' }],
);

/** Written columns no record shape shows (the API key): unknown to an import. */
const INTERNAL_FIELDS: readonly string[] = WRITTEN.filter((column) => column.public === undefined && column.operator === undefined).map((column) => column.field);

/** What a key may be missing as, in records written before it existed (Tally's own additions to the published shape). */
const DEFAULT_WHEN_ABSENT: Readonly<Record<string, unknown>> = { blocked: 0, errors: {}, metadata: {} };

/**
 * The inverse of `publicRecord` and `adminRecord` (record-shape.ts): a record in the public shape
 * (CONTRACT §4, a record of a get-telemetry page) or the admin shape (a line of `tally export
 * --format ndjson`, whose `client_ip` is kept; absent = null) as a record to store,
 * its times and checks kept as they are. The id and `updated_at` are not read: the store gives
 * a new id, and updated_at is created_at. A value of the wrong type is an error naming its key.
 * A `reported_at` that ingest would not have kept beside its `created_at` (more than 5 minutes
 * after it, or more than `maxReportAgeDays` before it) is kept as ingest keeps a refused one: null,
 * with the value in `metadata.raw_reported_at` (record-time ranges rely on that bound, model/record-time.ts).
 */
export function recordFromPublic(value: unknown, maxReportAgeDays: number): PublicRecordReading {
  if (!isPlainObject(value)) return { ok: false, error: 'a record must be a JSON object' };
  const record: Record<string, unknown> = { event_id: importEventId(value) };
  for (const column of IMPORTED) {
    const read = readColumn(column, value[column.key] ?? (column.key in value ? null : DEFAULT_WHEN_ABSENT[column.key]));
    if (typeof read === 'string') return { ok: false, error: read };
    record[column.field] = read.value;
  }
  for (const field of INTERNAL_FIELDS) record[field] = null;
  const reading = record as unknown as NewTelemetryRecord;
  return { ok: true, record: withinReportedAtBound(reading, value['reported_at'], maxReportAgeDays) };
}

function withinReportedAtBound(record: NewTelemetryRecord, raw: unknown, maxReportAgeDays: number): NewTelemetryRecord {
  const reported = record.reported_at_us;
  if (reported === null) return record;
  const created = record.created_at_us;
  if (reported <= created + REPORTED_AHEAD_MAX_US && reported >= created - maxReportAgeDays * DAY_US) return record;
  return { ...record, reported_at_us: null, metadata: { ...record.metadata, raw_reported_at: raw } };
}

/** A column's value, or the message saying why it cannot be stored. */
function readColumn(column: ImportedColumn, value: unknown): { value: unknown } | string {
  if (value === undefined || value === null) {
    return column.nullable ? { value: null } : `"${column.key}" is required`;
  }
  if (column.isoTime) {
    const instant = typeof value === 'string' ? parseInstant(value) : null;
    return instant === null ? `"${column.key}" must be an ISO-8601 time` : { value: instant.us };
  }
  switch (column.type) {
    case 'text':
      return typeof value === 'string' ? { value } : `"${column.key}" must be a string`;
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : `"${column.key}" must be a number`;
    case 'id':
    case 'micros':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? { value } : `"${column.key}" must be a whole number`;
    case 'flag':
      return value === 0 || value === 1 ? { value } : `"${column.key}" must be 0 or 1`;
    case 'field-errors':
      return readFieldErrors(column.key, value);
    case 'json-object':
      return isPlainObject(value) ? { value } : `"${column.key}" must be a JSON object`;
  }
}

/** `errors`: a map of field → messages, or `[]` (how the public shape prints an empty map). */
function readFieldErrors(key: string, value: unknown): { value: unknown } | string {
  if (Array.isArray(value) && value.length === 0) return { value: {} };
  const valid = isPlainObject(value) && Object.values(value).every((messages) => Array.isArray(messages) && messages.every((m) => typeof m === 'string'));
  return valid ? { value } : `"${key}" must map field names to lists of messages`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The event id an imported record is stored under: a UUID made from a hash of the record as it
 * was read, so importing the same file twice stores each record once (the store keeps one record
 * per event id, docs/ingest-behaviour.md). Version nibble 8 (a custom UUID, RFC 9562).
 */
function importEventId(value: Record<string, unknown>): string {
  const hex = createHash('sha256').update('tally-import\n').update(JSON.stringify(value)).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
