import type { NewTelemetryRecord } from '../model/record.js';
import { WEIGHED_TEXT_FIELDS } from '../store/contract/record-weight.js';

/**
 * The bytes of the values a record stores, as the per-key byte quota counts them: the UTF-8 bytes
 * of its texts and of the JSON of its errors and metadata (what the client sent, kept whole). A
 * text report's value counts once, though `data` repeats `text_data`.
 */
export function recordBytes(record: NewTelemetryRecord): number {
  let bytes = 0;
  for (const field of WEIGHED_TEXT_FIELDS) {
    const value = record[field];
    if (value !== null && !(field === 'data' && value === record.text_data)) bytes += Buffer.byteLength(value);
  }
  return bytes + jsonBytes(record.errors) + jsonBytes(record.metadata);
}

function jsonBytes(value: object): number {
  for (const _ in value) return Buffer.byteLength(JSON.stringify(value));
  return 2;
}
