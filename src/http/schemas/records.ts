import { Type, type TSchema } from '@sinclair/typebox';
import { DATA_TYPES } from '../../model/record.js';
import { RECORD_COLUMNS, type ColumnType, type RecordColumn } from '../../model/record-columns.js';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS } from '../../query/export.js';
import { DEFAULT_LIMIT, FILTER_FIELDS, FLAG_WORDS, FLAG_WORDS_TEXT, MAX_LIMIT, type FilterFieldKind } from '../../query/filter-fields.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Bit, Closed, FieldErrors, IsoMicros, Nullable, OneOf } from './primitives.js';

/**
 * `GET /admin/api/records` and `GET /admin/api/export` (docs/admin-api.md): their query strings
 * are the query API's filters (CONTRACT §4), described here from FILTER_FIELDS and read by the
 * one parser of those fields, src/query/parse-filter.ts (as get-telemetry-data and
 * `tally export` read them), so the schema describes them and refuses nothing itself. Records
 * are described from the column table.
 */

/**
 * A flag filter as query strings write it: `1`, `0`, `true` or `false` (FLAG_WORDS), read as 1 or
 * 0. The summary's `has_red_flags` is read by the admin reader from this schema, so its message
 * is generated from these literals: `must be 1, 0, true or false`, as parse-filter.ts says it.
 */
export const FlagFilter = () =>
  Type.Transform(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')], { description: FLAG_WORDS_TEXT }))
    .Decode((word): 0 | 1 => FLAG_WORDS.get(word) ?? 0)
    .Encode((bit) => (bit === 1 ? '1' : '0'));

const FILTER_VALUES: Readonly<Record<FilterFieldKind, () => TSchema>> = {
  product_id: () => Type.Integer(),
  data_type: () => OneOf(DATA_TYPES),
  // No length limit: every value that can be stored can be looked for (bounded by the request's size).
  string: () => Type.String({ description: 'any length: every stored value can be looked for' }),
  flag: FlagFilter,
  date: () => Type.String({ format: 'instant', description: 'ISO-8601 date or date-time, or Unix seconds; `to` covers the whole unit it names' }),
  limit: () => Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
  after_id: () => Type.Integer({ minimum: 0, default: 0 }),
};

const filters = Object.fromEntries(FILTER_FIELDS.map((field) => [field.name, Type.Optional(FILTER_VALUES[field.kind]())]));

/** The query API's filters; other parameters are ignored. */
export const FilterQuery = Type.Object(filters, { description: 'Read by the query API\'s filter parser (src/query/parse-filter.ts); other parameters are ignored.' });
export const ExportQuery = Type.Object({
  format: OneOf(EXPORT_FORMATS),
  raw_csv: Type.Optional(FlagFilter()),
  ...filters,
}, { description: `${FilterQuery.description ?? ''} raw_csv (${FLAG_WORDS_TEXT}, default 0): CSV cells exactly as stored; by default a cell starting with =, +, -, @, tab or CR gets a leading ' and text cells are quoted.` });

const COLUMN_VALUES: Readonly<Record<ColumnType, () => TSchema>> = {
  id: () => Type.Integer(),
  real: () => Type.Number(),
  text: () => Type.String(),
  flag: Bit,
  micros: () => Type.Integer(),
  'field-errors': () => FieldErrors,
  'json-object': () => Type.Record(Type.String(), Type.Unknown()),
};

function publicValue(column: RecordColumn): TSchema {
  const value = column.public === 'iso-time' ? IsoMicros()
    : column.public === 'map-or-empty-list' ? Type.Union([COLUMN_VALUES[column.type](), Type.Tuple([])])
      : COLUMN_VALUES[column.type]();
  return column.nullable ? Nullable(value) : value;
}

/** A stored record as the query API, exports and NDJSON show it: the column table's public columns. */
const PUBLIC_PROPERTIES = Object.fromEntries(
  RECORD_COLUMNS.flatMap((column: RecordColumn) => (column.public === undefined ? [] : (column.publicKeys ?? [column.field]).map((key) => [key, publicValue(column)]))),
);

export const PublicRecord = Closed(PUBLIC_PROPERTIES);

/** A stored record as operators see it (the dashboard's records, exports): the public record and the client IP as kept (docs/privacy.md). */
export const AdminRecord = Closed({
  ...PUBLIC_PROPERTIES,
  ...Object.fromEntries(RECORD_COLUMNS.flatMap((column: RecordColumn) => (column.operator === undefined ? [] : [[column.field, column.nullable ? Nullable(COLUMN_VALUES[column.type]()) : COLUMN_VALUES[column.type]()]]))),
});

export const recordsSchema = {
  querystring: FilterQuery,
  response: adminResponses({
    200: Closed({ records: Type.Array(AdminRecord), next_after_id: Nullable(Type.Integer()) }),
    400: InvalidParameters('The record filters are invalid.'),
  }, { query: true }),
};

export const recordsRefusals: AdminRefusals = { query: { error: 'The record filters are invalid.', listed: true } };

export const exportSchema = {
  querystring: ExportQuery,
  response: adminResponses({
    200: {
      description: 'Every matching record, streamed',
      content: {
        [EXPORT_CONTENT_TYPES.ndjson]: { schema: Type.String({ description: 'one admin record (JSON: the public record and client_ip) per line' }) },
        [EXPORT_CONTENT_TYPES.csv]: { schema: Type.String({ description: 'a header row, then one admin record (the public record and client_ip) per row' }) },
      },
    },
    400: InvalidParameters('The export parameters are invalid.'),
  }, { query: true }),
};

export const exportRefusals: AdminRefusals = { query: { error: 'The export parameters are invalid.', listed: true } };
