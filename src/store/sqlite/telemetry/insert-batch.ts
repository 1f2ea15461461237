import type { NewTelemetryRecord } from '../../../model/record.js';
import { COLUMN_GROUP_NAMES } from '../../../model/record-columns.js';
import { bindableValue, columnValues, TELEMETRY_INSERT_COLUMNS, WRITTEN_COLUMNS } from '../../contract/telemetry-columns.js';

/** A column value as SQLite binds it: errors and metadata as their JSON text. */
export type BindValue = string | number | null;

/** Where created_at sits among TELEMETRY_INSERT_COLUMNS. */
export const CREATED_AT = TELEMETRY_INSERT_COLUMNS.indexOf('created_at');

const ALL_COLUMNS: readonly number[] = TELEMETRY_INSERT_COLUMNS.map((_, column) => column);

type InsertColumn = (typeof TELEMETRY_INSERT_COLUMNS)[number];

/**
 * Columns shared or sent per row together, each column's `group` in the column table: a batch
 * varies in whole groups, so its "shape" (which groups vary) is one of at most 2^6 = 64, and a
 * connection prepares at most 64 pairs of INSERTs whatever the traffic (telemetry-writer.ts).
 * The groups follow what a batch from one installation has in common: its request, its
 * installation, its kind of data, the columns its data type leaves empty, its flags and notes
 * (errors and flags go together); only its values differ.
 */
export const COLUMN_GROUPS: readonly (readonly InsertColumn[])[] = COLUMN_GROUP_NAMES.map((group) =>
  TELEMETRY_INSERT_COLUMNS.filter((_, column) => WRITTEN_COLUMNS[column]?.group === group),
);

const GROUP_COLUMNS: readonly (readonly number[])[] = COLUMN_GROUPS.map((group) => group.map((name) => TELEMETRY_INSERT_COLUMNS.indexOf(name)));

/**
 * Records as the writer binds them, with what they have in common written once. `shared` holds
 * every column's value in the first record; `varying` lists, ascending, the columns of every
 * COLUMN_GROUPS group in which some value differs between records, and `rows` holds those
 * columns' values, a row per record. The usual
 * batch comes from one installation (one product, license, activation and version, one request's
 * time and address), so only its data columns vary: it crosses to the writer thread as a short
 * JSON string, and the writer binds each shared value once per statement instead of once per row
 * (telemetry-writer.ts; docs/performance.md "Batch ingestion, third pass").
 * Plain JSON values only, so that a batch crosses to the writer thread as one JSON string.
 */
export interface InsertBatch {
  shared: BindValue[];
  varying: number[];
  rows: BindValue[][];
  /** Each record's event_id, or null. */
  eventIds: (string | null)[];
}

/** A single record shares nothing with another, so every column is "varying": one row, bound as is. */
export function toInsertBatch(records: readonly NewTelemetryRecord[]): InsertBatch {
  const full = records.map(bindableRow);
  const eventIds = records.map((r) => r.event_id ?? null);
  const varying = full.length < 2 ? [...ALL_COLUMNS] : varyingColumns(full);
  if (varying.length === ALL_COLUMNS.length) return { shared: [], varying, rows: full, eventIds };
  return { shared: full[0] ?? [], varying, rows: full.map((row) => varying.map((column) => row[column] ?? null)), eventIds };
}

/** A record's column values as bound, in TELEMETRY_INSERT_COLUMNS order (converted in place). */
function bindableRow(record: NewTelemetryRecord): BindValue[] {
  const values = columnValues(record);
  for (let column = 0; column < values.length; column++) {
    const value = values[column];
    if (value === undefined) values[column] = null;
    else if (typeof value === 'object' && value !== null) values[column] = bindableValue(value);
  }
  return values as BindValue[];
}

/** The columns of every group in which some column differs between rows, ascending. */
function varyingColumns(rows: readonly BindValue[][]): number[] {
  const varying: number[] = [];
  for (const group of GROUP_COLUMNS) if (group.some((column) => differs(rows, column))) varying.push(...group);
  return varying.sort((a, b) => a - b);
}

function differs(rows: readonly BindValue[][], column: number): boolean {
  const value = (rows[0] as BindValue[])[column];
  for (let i = 1; i < rows.length; i++) if ((rows[i] as BindValue[])[column] !== value) return true;
  return false;
}

/** Each record's value of `column`, by the record's index (where the column sits is looked up once). */
export function columnOf(batch: InsertBatch, column: number): (index: number) => BindValue {
  const at = batch.varying.indexOf(column);
  if (at === -1) return () => batch.shared[column] ?? null;
  return (index) => (batch.rows[index] as BindValue[])[at] ?? null;
}
