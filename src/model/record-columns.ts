/**
 * The telemetry record's columns, declared once. The record types (record.ts), the public
 * record's keys and order (query/record-shape.ts), the text filters (filter.ts), the INSERT and
 * SELECT lists (store/contract/telemetry-columns.ts), each backend's row conversions and the
 * SQLite batch writer's column groups are all derived from RECORD_COLUMNS. Adding a column is one
 * entry here plus a migration per backend (docs/decisions/0019-one-column-table.md).
 */

/** Field name → messages, in the contract's field order. Empty when the report is correct. */
export type FieldErrors = Record<string, string[]>;

/** What a column holds: its TypeScript type here, its SQL type and its conversions in each backend. */
export interface ColumnTypes {
  /** A row id (INTEGER in SQLite, bigint in PostgreSQL). */
  id: number;
  /** A double. */
  real: number;
  text: string;
  /** 1 = yes, 0 = no (INTEGER in SQLite, smallint in PostgreSQL). */
  flag: 0 | 1;
  /** Microseconds since the Unix epoch (INTEGER in SQLite, bigint in PostgreSQL). */
  micros: number;
  /** The report's field errors, stored as JSON. */
  'field-errors': FieldErrors;
  /** A JSON object. */
  'json-object': Record<string, unknown>;
}

export type ColumnType = keyof ColumnTypes;

/**
 * How the public record (the query API, exports, NDJSON and CSV) shows a column: `stored` as it
 * is stored; `map-or-empty-list` as `[]` when the map is empty (as the published API prints an
 * empty map), else the map; `iso-time` as ISO-8601 UTC with six fractional digits (null stays null).
 */
export type PublicForm = 'stored' | 'map-or-empty-list' | 'iso-time';

/**
 * Columns a batch of records tends to share or vary in together. The SQLite batch writer sends
 * a batch's shared values once and varies whole groups, so a batch has one of 2^6 shapes
 * (docs/decisions/0018): the request (API key, address, time), the installation, the kind of
 * data, the value, the value columns its data type leaves empty, and the checks with their notes.
 */
export const COLUMN_GROUP_NAMES = ['request', 'installation', 'kind', 'value', 'other-values', 'checks'] as const;
export type ColumnGroup = (typeof COLUMN_GROUP_NAMES)[number];

interface ColumnBase {
  /** The record's field. */
  readonly field: string;
  /** The SQL column, where its name differs from the field's. */
  readonly sql?: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** How the public record shows it; absent = internal, never shown. */
  readonly public?: PublicForm;
  /**
   * Shown to operators only, as stored, after the public columns: the admin record (the
   * dashboard's records, exports, privacy exports) has it, the query API's record does not (its
   * shape is the published API's). Read back by `tally import`.
   */
  readonly operator?: 'stored';
  /** The public record's keys for it, where they are not just the field's name. */
  readonly publicKeys?: readonly string[];
  /** The TelemetryFilter field that asks for records whose column equals a text. */
  readonly textFilter?: string;
}

/** A column every INSERT writes, and its group (COLUMN_GROUP_NAMES). */
interface WrittenColumn extends ColumnBase {
  readonly group: ColumnGroup;
}

/** A column the database fills in (the id). */
interface GeneratedColumn extends ColumnBase {
  readonly generated: true;
}

export type RecordColumn = WrittenColumn | GeneratedColumn;

/**
 * Every column of the telemetry table, in the public record's order: the public columns in the
 * contract's key order (the order of the query API's records and of CSV columns), then the
 * internal ones. The SQL lists follow this order too; the checks' own order (FLAG_NAMES, the
 * order of query error messages) is kept in record.ts.
 */
export const RECORD_COLUMNS = [
  { field: 'id', type: 'id', nullable: false, generated: true, public: 'stored' },
  { field: 'user_identifier', type: 'text', nullable: true, public: 'stored', textFilter: 'userIdentifier', group: 'installation' },
  { field: 'license_key', type: 'text', nullable: true, public: 'stored', textFilter: 'licenseKey', group: 'installation' },
  { field: 'activation_identifier', type: 'text', nullable: true, public: 'stored', textFilter: 'activationIdentifier', group: 'installation' },
  { field: 'product_id', type: 'id', nullable: true, public: 'stored', group: 'installation' },
  { field: 'product_version', type: 'text', nullable: true, public: 'stored', textFilter: 'productVersion', group: 'installation' },
  { field: 'data_type', type: 'text', nullable: true, public: 'stored', textFilter: 'dataType', group: 'kind' },
  { field: 'data_group', type: 'text', nullable: true, public: 'stored', textFilter: 'dataGroup', group: 'kind' },
  // The value as sent: the single value, the text, or `{"x":…,"y":…}` as JSON for xy.
  { field: 'data', type: 'text', nullable: true, public: 'stored', group: 'value' },
  { field: 'numeric_data_single_value', type: 'real', nullable: true, public: 'stored', group: 'value' },
  { field: 'numeric_data_x', type: 'real', nullable: true, public: 'stored', group: 'other-values' },
  { field: 'numeric_data_y', type: 'real', nullable: true, public: 'stored', group: 'other-values' },
  { field: 'text_data', type: 'text', nullable: true, public: 'stored', group: 'other-values' },
  // The six checks and their summary (1 = check passed; has_red_flags = 1 when one failed).
  { field: 'is_correct_format', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  { field: 'license_key_exists', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  { field: 'product_exists', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  { field: 'product_version_exists', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  { field: 'activation_exists', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  { field: 'license_active', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  { field: 'has_red_flags', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  // Tally's own flag, apart from the checks (it does not raise has_red_flags), and its addition to
  // the published shape: 1 when the client IP, user_identifier or license_key was on the
  // blocklist; the answer was code 150.
  { field: 'blocked', type: 'flag', nullable: false, public: 'stored', group: 'checks' },
  { field: 'errors', type: 'field-errors', nullable: false, public: 'map-or-empty-list', group: 'checks' },
  // Fields outside the contract's table, and raw values that did not fit their column.
  { field: 'metadata', type: 'json-object', nullable: false, public: 'stored', group: 'checks' },
  // Records are never updated, so the public record's updated_at is created_at.
  {
    field: 'created_at_us', sql: 'created_at', type: 'micros', nullable: false,
    public: 'iso-time', publicKeys: ['created_at', 'updated_at'], group: 'request',
  },
  // When the client says it recorded the report (its optional `reported_at` field), null when it
  // sent none or an invalid one (docs/ingest-behaviour.md). In the `value` group: a queue's
  // reports each carry their own time, as they carry their own value.
  { field: 'reported_at_us', sql: 'reported_at', type: 'micros', nullable: true, public: 'iso-time', publicKeys: ['reported_at'], group: 'value' },
  { field: 'api_key_id', type: 'id', nullable: true, group: 'request' },
  // The client's address as kept under --client-ip-mode (docs/privacy.md): full, truncated, hashed or null.
  { field: 'client_ip', type: 'text', nullable: true, operator: 'stored', group: 'request' },
] as const satisfies readonly RecordColumn[];

/** One entry of RECORD_COLUMNS, with its literal types. */
export type Column = (typeof RECORD_COLUMNS)[number];

/** The columns an INSERT writes (all but the generated id). */
export type WrittenRecordColumn = Extract<Column, { group: ColumnGroup }>;

/** A column's value in a record. */
export type ColumnValue<C extends Column> = ColumnTypes[C['type']] | (C['nullable'] extends true ? null : never);

/** The record fields of some columns, each typed by its column. */
export type FieldsOf<C extends Column> = { -readonly [K in C as K['field']]: ColumnValue<K> };

/** The SQL name of a column. */
export type SqlNameOf<C extends Column> = C extends { sql: infer S extends string } ? S : C['field'];

/** The fields of the columns of one type (the flags, the text columns, …). */
export type FieldOfType<T extends ColumnType> = Extract<Column, { type: T }>['field'];

export function isWritten<C extends RecordColumn>(column: C): column is Extract<C, { group: ColumnGroup }> {
  return 'group' in column;
}

export function sqlName(column: RecordColumn): string {
  return column.sql ?? column.field;
}

/** Whether a column is stored as JSON text (SQLite) or json (PostgreSQL). */
export function isJson(column: RecordColumn): boolean {
  return column.type === 'field-errors' || column.type === 'json-object';
}
