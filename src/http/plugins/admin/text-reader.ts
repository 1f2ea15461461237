import { KindGuard, type StaticDecode, type TObject, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { FieldErrors } from '../../../model/record.js';
import { fieldMessages } from './field-messages.js';

/** A whole number as a query string or path writes it: digits only, at most 15 (every id fits). */
const WHOLE_NUMBER = /^\d{1,15}$/;
/** Most characters of a value whose schema is not a string with a maxLength of its own (a number, a flag). */
const MAX_TEXT = 255;

/** What reading a part of a request gave: its values, or every problem per field and what could be read. */
export type ReadOutcome =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: FieldErrors; read: Readonly<Record<string, unknown>> };

/**
 * A rule across fields (`to` not before `from`), run with the values that were read and the
 * errors found so far; what it returns is reported with the fields' own errors, in field order.
 */
export type CrossFieldRule<T extends TObject = TObject> = (values: Readonly<Partial<StaticDecode<T>>>, errors: Readonly<FieldErrors>) => FieldErrors;

const RULES = new WeakMap<TObject, CrossFieldRule>();

/** Gives a parameters schema a rule across its fields; returns the schema. */
export function withCrossFieldRule<T extends TObject>(schema: T, rule: CrossFieldRule<T>): T {
  // The reader passes exactly the fields it read and decoded: a Partial<StaticDecode<T>>.
  RULES.set(schema, rule as CrossFieldRule);
  return schema;
}

interface Field {
  name: string;
  schema: TSchema;
  check: TypeCheck<TSchema>;
  required: boolean;
}

/**
 * Reads query or path parameters (text, as queryFields or the router gives them) against an
 * object schema, the way the admin API always has: a value that is not one string is refused,
 * query values are trimmed (`trim`), an empty value counts as absent (the schema's default then
 * applies), numbers and flags are read from their digits, then each value must pass its schema
 * (TypeBox) and decodes (`from` becomes an Instant). Unknown names are refused when the schema
 * is closed. Messages come from src/http/plugins/admin/field-messages.ts; fields are reported in
 * the schema's order, then unknown names in the order they came.
 */
export function textReader(schema: TObject, trim: boolean): (input: unknown) => ReadOutcome {
  const required = new Set(schema.required ?? []);
  const fields: Field[] = Object.entries(schema.properties).map(([name, property]) => ({
    name, schema: property, check: TypeCompiler.Compile(property), required: required.has(name),
  }));
  const known = new Set(fields.map((field) => field.name));
  const rule = RULES.get(schema);
  return (input) => {
    const given = isRecord(input) ? input : {};
    const values: Record<string, unknown> = {};
    const read: Record<string, unknown> = {};
    const errors = new Map<string, string[]>();
    for (const field of fields) {
      const problem = readField(field, given, trim, values, read);
      if (problem !== undefined) errors.set(field.name, [problem]);
    }
    if (rule !== undefined) addErrors(errors, rule(values, Object.fromEntries(errors)));
    const unknown = schema.additionalProperties === false ? Object.keys(given).filter((name) => !known.has(name)) : [];
    for (const name of unknown) errors.set(name, [fieldMessages.unknown(name)]);
    if (errors.size === 0) return { ok: true, value: values };
    const order = [...known, ...unknown].filter((name) => errors.has(name));
    return { ok: false, errors: Object.fromEntries(order.map((name) => [name, errors.get(name) ?? []])), read };
  };
}

function readField(field: Field, given: Readonly<Record<string, unknown>>, trim: boolean, values: Record<string, unknown>, read: Record<string, unknown>): string | undefined {
  const raw = Object.hasOwn(given, field.name) ? given[field.name] : undefined;
  if (raw === undefined) return absent(field, values);
  if (typeof raw !== 'string') return fieldMessages.notText(field.name);
  const text = trim ? raw.trim() : raw;
  const maxLength = maxLengthOf(field.schema);
  if (text.length > maxLength) return fieldMessages.tooLong(field.name, maxLength);
  if (text === '') return absent(field, values);
  const value = fromText(field.schema, text);
  read[field.name] = value;
  if (!field.check.Check(value)) return fieldMessages.invalid(field.name, field.schema);
  values[field.name] = field.check.Decode(value);
  return undefined;
}

function absent(field: Field, values: Record<string, unknown>): string | undefined {
  if (field.required) return fieldMessages.required(field.name);
  const fallback: unknown = field.schema.default;
  if (fallback !== undefined) values[field.name] = fallback;
  return undefined;
}

function maxLengthOf(schema: TSchema): number {
  if (!KindGuard.IsString(schema)) return MAX_TEXT;
  return schema.maxLength ?? Number.POSITIVE_INFINITY;
}

/** A number from its digits, a literal (`0`, `1`) from its text; other text as it is. */
function fromText(schema: TSchema, text: string): unknown {
  if (KindGuard.IsInteger(schema)) return WHOLE_NUMBER.test(text) ? Number(text) : text;
  if (KindGuard.IsUnion(schema)) {
    const literal = schema.anyOf.find((member) => KindGuard.IsLiteral(member) && String(member.const) === text);
    if (literal !== undefined && KindGuard.IsLiteral(literal)) return literal.const;
  }
  return text;
}

function addErrors(errors: Map<string, string[]>, more: Readonly<FieldErrors>): void {
  for (const [name, messages] of Object.entries(more)) errors.set(name, [...(errors.get(name) ?? []), ...messages]);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
