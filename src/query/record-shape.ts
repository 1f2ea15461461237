import { compileObjectMapper, type Converter, type MappedKey } from '../model/compiled-mapper.js';
import type { TelemetryRecord } from '../model/record.js';
import { RECORD_COLUMNS, type Column, type ColumnValue, type PublicForm, type RecordColumn } from '../model/record-columns.js';
import { isoFromMicros } from './iso-micros.js';

type PublicColumn = Extract<Column, { public: PublicForm }>;

/** The public keys of a column: its `publicKeys`, or its field's name. */
type PublicKeysOf<C extends Column> = C extends { publicKeys: readonly (infer K extends string)[] } ? K : C['field'];

/** The column a public key shows. */
type ShownBy<K extends string> = PublicColumn extends infer C ? (C extends PublicColumn ? (K extends PublicKeysOf<C> ? C : never) : never) : never;

/** A column's value as the public record shows it (record-columns.ts, PublicForm). */
type PublicValue<C extends PublicColumn> = C['public'] extends 'iso-time'
  ? string | (C['nullable'] extends true ? null : never)
  : C['public'] extends 'map-or-empty-list'
    ? ColumnValue<C> | []
    : ColumnValue<C>;

/**
 * A stored record as the query API, the exports and NDJSON show it (CONTRACT §4): the public
 * columns of the column table (model/record-columns.ts), and nothing internal (the API key id and
 * the client's address stay in the store). `blocked` is Tally's addition to the published shape.
 */
export type PublicRecord = { [K in PublicKeysOf<PublicColumn>]: PublicValue<ShownBy<K>> };

function publicKeysOf(column: RecordColumn): readonly string[] {
  return column.publicKeys ?? [column.field];
}

/** The record's fields in the contract's key order: the order they go on the wire and into CSV. */
export const PUBLIC_RECORD_KEYS = RECORD_COLUMNS.flatMap((column) =>
  'public' in column ? publicKeysOf(column) : [],
) as readonly (keyof PublicRecord)[];

const SHOW: Readonly<Record<PublicForm, Converter | undefined>> = {
  stored: undefined,
  'map-or-empty-list': mapOrEmptyList,
  'iso-time': isoOrNull,
};

/** How each public key is read from a stored record. */
const PUBLIC_MAPPED_KEYS: readonly MappedKey[] = RECORD_COLUMNS.flatMap((column: RecordColumn) =>
  column.public === undefined ? [] : publicKeysOf(column).map((key) => ({ key, from: column.field, convert: SHOW[column.public as PublicForm] })),
);

function isoOrNull(us: number | null): string | null {
  return us === null ? null : isoFromMicros(us);
}

/** `[]` for an empty map, as the published API prints an empty map (`errors` of a correct report). */
function mapOrEmptyList(map: Record<string, unknown>): Record<string, unknown> | [] {
  return Object.keys(map).length === 0 ? [] : map;
}

/**
 * The public shape of a stored record: the contract's keys in its order, timestamps with six
 * fractional digits, and nothing internal. Compiled once from the column table
 * (model/compiled-mapper.ts): exports shape every record they write.
 */
export const publicRecord: (r: TelemetryRecord) => PublicRecord = compileObjectMapper<TelemetryRecord, PublicRecord>(PUBLIC_MAPPED_KEYS);

type OperatorColumn = Extract<Column, { operator: 'stored' }>;

/**
 * A stored record as operators see it (the admin records, the dashboard, exports and privacy
 * exports): the public record, then the operator columns as stored (`client_ip`), so a person's
 * export holds everything kept about them. The query API never shows it (its shape is published).
 */
export type AdminRecord = PublicRecord & { [C in OperatorColumn as C['field']]: ColumnValue<C> };

/** The admin record's keys: the public ones in the contract's order, then the operator columns. */
export const ADMIN_RECORD_KEYS = [
  ...PUBLIC_RECORD_KEYS,
  ...RECORD_COLUMNS.flatMap((column: RecordColumn) => (column.operator === undefined ? [] : [column.field])),
] as readonly (keyof AdminRecord)[];

/** The admin shape of a stored record, compiled once like `publicRecord`. */
export const adminRecord: (r: TelemetryRecord) => AdminRecord = compileObjectMapper<TelemetryRecord, AdminRecord>([
  ...PUBLIC_MAPPED_KEYS,
  ...RECORD_COLUMNS.flatMap((column: RecordColumn) => (column.operator === undefined ? [] : [{ key: column.field, from: column.field }])),
]);
