import type { NewTelemetryRecord } from '../../model/record.js';
import type { FieldOfType } from '../../model/record-columns.js';
import { WRITTEN_COLUMNS } from '../contract/telemetry-columns.js';

/** The telemetry text columns, in table order; PostgreSQL `text` cannot hold U+0000 (docs/decisions/0009-postgres-nul.md). */
const TEXT_FIELDS: readonly FieldOfType<'text'>[] = WRITTEN_COLUMNS.flatMap((column) => (column.type === 'text' ? [column.field] : []));

const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

/**
 * The record as PostgreSQL can store it: U+0000 in a text column becomes U+FFFD, and the value as
 * sent is kept in `metadata.raw_<field>` (JSON escapes it as \u0000), unless ingest already put a
 * raw value there. Records without NUL (all but hostile ones) are returned as they are, uncopied.
 */
export function withoutNul(record: NewTelemetryRecord): NewTelemetryRecord {
  let copy: NewTelemetryRecord | null = null;
  for (const field of TEXT_FIELDS) {
    const value = record[field];
    if (value === null || !value.includes(NUL)) continue;
    copy ??= { ...record, metadata: { ...record.metadata } };
    copy[field] = value.replaceAll(NUL, REPLACEMENT);
    const rawKey = `raw_${field}`;
    if (!Object.hasOwn(copy.metadata, rawKey)) copy.metadata[rawKey] = value;
  }
  return copy ?? record;
}
