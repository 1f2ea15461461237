import type { TelemetryStore } from '../store/contract/store.js';
import type { NewTelemetryRecord } from '../model/record.js';
import { recordFromPublic } from './record-from-public.js';

/** Records per transaction while importing: large enough to be fast, small enough to bound memory. */
export const IMPORT_BATCH_SIZE = 500;

/** The most line errors an import report lists (all are counted). */
export const IMPORT_ERRORS_LISTED = 20;

/** A line that could not be imported, numbered from 1. */
export interface ImportLineError {
  line: number;
  error: string;
}

/** What an import did. */
export interface ImportReport {
  /** Records read (a line of a get-telemetry page holds many). */
  records: number;
  /** Records stored by this import. */
  imported: number;
  /** Records already stored by an earlier import of the same record: skipped. */
  already_imported: number;
  /** Records (or lines) that could not be read; nothing of them is stored. */
  rejected: number;
  /** The first IMPORT_ERRORS_LISTED of them. */
  errors: ImportLineError[];
}

/**
 * Loads records in the public shape (CONTRACT §4), one JSON value per line: a record (what
 * `tally export --format ndjson` writes), or a saved get-telemetry answer (its records, from
 * `response.data` or `data`). Times, checks, errors and metadata are kept as they are; ids are
 * new (a `reported_at` outside the bound ingest keeps is moved to metadata, record-from-public.ts). Each record is stored under an event id made from its content, so running the same import
 * again stores nothing twice. Blank lines are skipped; a line that is not a record is counted,
 * listed and skipped, and the rest is imported.
 */
export async function importRecords(store: TelemetryStore, lines: AsyncIterable<string>, maxReportAgeDays: number, batchSize = IMPORT_BATCH_SIZE): Promise<ImportReport> {
  const report: ImportReport = { records: 0, imported: 0, already_imported: 0, rejected: 0, errors: [] };
  const reject = (line: number, error: string): void => {
    report.rejected += 1;
    if (report.errors.length < IMPORT_ERRORS_LISTED) report.errors.push({ line, error });
  };
  let batch: NewTelemetryRecord[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const ids = await store.insertUnique(batch);
    const stored = ids.filter((id) => id !== null).length;
    report.imported += stored;
    report.already_imported += ids.length - stored;
    batch = [];
  };
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const values = valuesOfLine(line);
    if (typeof values === 'string') {
      reject(lineNumber, values);
      continue;
    }
    for (const value of values) {
      report.records += 1;
      const reading = recordFromPublic(value, maxReportAgeDays);
      if (!reading.ok) {
        reject(lineNumber, reading.error);
        continue;
      }
      batch.push(reading.record);
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  return report;
}

/** The records a line holds, or why it holds none. */
function valuesOfLine(line: string): unknown[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  const page = recordsOfPage(parsed);
  return page ?? [parsed];
}

/** The records of a saved get-telemetry answer (`{"response": {"data": […]}}` or `{"data": […]}`), else null. */
function recordsOfPage(value: unknown): unknown[] | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  const response = object['response'];
  const holder = typeof response === 'object' && response !== null && !Array.isArray(response) ? (response as Record<string, unknown>) : object;
  const data = holder['data'];
  // A record has a `data` too, but a string (its value as sent), never a list.
  return Array.isArray(data) ? data : null;
}
