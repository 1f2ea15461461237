import { FormatRegistry, Type, type IntegerOptions, type Static, type StringOptions, type TLiteral, type TProperties, type TSchema, type TUnion } from '@sinclair/typebox';
import { parseInstant, type Instant as PointInTime } from '../../model/parse-instant.js';

/**
 * The admin API's shared schema pieces (docs/decisions/0020-admin-api-schemas.md): the values its
 * parameters and bodies take, and the shapes of its answers. Route families build on these, one
 * file each. Messages for refused parameters are generated from these keywords
 * (src/http/plugins/admin/field-messages.ts), so a primitive's keywords are also its wording.
 */

/** `format: 'instant'`: what `from` and `to` take (src/model/parse-instant.ts). */
FormatRegistry.Set('instant', (text) => parseInstant(text) !== null);

/** The largest id a path or query parameter names: ids are written with at most 15 digits. */
export const MAX_ID = 999_999_999_999_999;
/** Whole numbers in JSON bodies: JavaScript's safe integers. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A positive id ("must be a positive integer"). */
export const Id = (options: IntegerOptions = {}) => Type.Integer({ exclusiveMinimum: 0, maximum: MAX_ID, ...options });

/** A whole number in [minimum, maximum], `fallback` when absent ("must be an integer between …"). */
export const Bounded = (minimum: number, maximum: number, fallback: number) => Type.Integer({ minimum, maximum, default: fallback });

/** 0 or 1 ("must be 0 or 1"). */
export const Bit = () => Type.Union([Type.Literal(0), Type.Literal(1)]);

/** Text of at most `maxLength` characters (UTF-16 units, as the parameters have always been counted). */
export const Text = (maxLength = 255, options: StringOptions = {}) => Type.String({ maxLength, ...options });

/** A point in time: ISO-8601 or Unix seconds; read as an Instant ("must be an ISO-8601 date or Unix seconds"). */
export const Instant = () =>
  Type.Transform(Type.String({ format: 'instant', maxLength: 255, description: 'ISO-8601 date or date-time (UTC unless it has an offset), or Unix seconds' }))
    .Decode((text): PointInTime => parseInstant(text) ?? unreadable(text))
    .Encode((instant) => String(instant.us / 1_000_000));

function unreadable(text: string): never {
  throw new Error(`"${text}" passed the instant format but does not parse`);
}

/** A schema's annotations: what it means, and (for a JSON body's field) the refusal when it does not fit. */
export interface Notes {
  description?: string;
  errorMessage?: string;
}

export const Nullable = <T extends TSchema>(schema: T, notes: Notes = {}) => Type.Union([schema, Type.Null()], notes);

/** One of a list of strings, as literals (so the type is their union). */
export const OneOf = <const T extends string>(values: readonly T[], notes: Notes = {}): TUnion<TLiteral<T>[]> =>
  Type.Union(values.map((value) => Type.Literal(value)), notes);

/** An object that says no more than it lists: every answer schema is closed, so the schema tests notice a new key. */
export const Closed = <T extends TProperties>(properties: T, options: { description?: string } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

/** The `:id` of a path: one rule for every admin route (each says how it refuses one). */
export const IdParams = Type.Object({ id: Id() });
export type IdParams = Static<typeof IdParams>;

/** Times as the store gives them: six fractional digits (records, summaries). */
export const IsoMicros = () => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$' });
/** Times as `Date#toISOString` writes them (registry entities, sessions). */
export const IsoMillis = () => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' });
/** A UTC day. */
export const UtcDay = () => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const Count = () => Type.Integer({ minimum: 0 });

/** Field name → messages, in the order the fields are read. */
export const FieldErrors = Type.Record(Type.String(), Type.Array(Type.String()));

/** Lenient bodies (the registry routes): text given as a string, or a number as its decimal text. */
export const TextValue = (notes: Notes = {}) =>
  Type.Transform(Type.Union([Type.String(), Type.Number()], { default: '', ...notes }))
    .Decode((value) => (typeof value === 'number' ? String(value) : value))
    .Encode((text) => text);

/**
 * Lenient bodies: an id, or its decimal text (trimmed, at most 15 digits). Blank text is no id
 * (undefined); anything else that is not an id reads as NaN, which the registry refuses by name.
 */
export const IdValue = (notes: Notes = {}) =>
  Type.Transform(Type.Union([Type.Number(), Type.String()], notes))
    .Decode((value): number | undefined => {
      const text = typeof value === 'number' ? String(value) : value.trim();
      if (text === '') return undefined;
      return /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
    })
    .Encode((id) => id ?? '');
