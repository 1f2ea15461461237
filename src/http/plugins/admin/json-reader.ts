import { KindGuard, type TArray, type TObject, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { ReadOutcome } from './text-reader.js';

interface Field {
  name: string;
  schema: TSchema;
  check: TypeCheck<TSchema>;
  required: boolean;
}

/**
 * Reads a JSON (or form) body against an object schema, strictly: a body that is not an object
 * is refused with the schema's `errorMessage`; then, for a closed schema, unknown fields (one
 * generated message naming them and the known ones); then each field in schema order, missing
 * or not passing its schema (TypeBox), with that field's `errorMessage`. The first problem is
 * the answer, as these bodies have always been answered. No body at all reads as `{}` when
 * nothing is required.
 */
export function jsonReader(schema: TObject): (input: unknown) => ReadOutcome {
  const fields = fieldsOf(schema);
  const known = fields.map((field) => field.name);
  const notAnObject = errorMessageOf(schema, 'the body');
  const messages = new Map(fields.map((field) => [field.name, errorMessageOf(field.schema, field.name)]));
  const refuse = (name: string, message: string): ReadOutcome => ({ ok: false, errors: { [name]: [message] }, read: {} });
  return (input) => {
    const body = input === null && fields.every((field) => !field.required) ? {} : input;
    if (!isRecord(body)) return refuse('body', notAnObject);
    const unknown = schema.additionalProperties === false ? Object.keys(body).filter((name) => !known.includes(name)) : [];
    if (unknown.length > 0) return refuse('body', `Unknown field: ${unknown.join(', ')} (known: ${known.join(', ')}).`);
    const value: Record<string, unknown> = {};
    for (const field of fields) {
      const given = Object.hasOwn(body, field.name) ? body[field.name] : undefined;
      if (given === undefined ? field.required : !field.check.Check(given)) return refuse(field.name, messages.get(field.name) ?? '');
      if (given !== undefined) value[field.name] = field.check.Decode(given);
    }
    return { ok: true, value };
  };
}

/**
 * Reads a body leniently, as the registry routes always have (so the registry's own messages,
 * the CLI's, answer): a body that is not an object is empty, a field that does not pass its
 * schema counts as absent (a list keeps the items that do), absent fields take their schema's
 * default, and values decode (a number given as a name becomes its text). Never refuses.
 */
export function lenientReader(schema: TObject): (input: unknown) => ReadOutcome {
  const fields = fieldsOf(schema);
  return (input) => {
    const body = isRecord(input) ? input : {};
    const value: Record<string, unknown> = {};
    for (const field of fields) {
      const fitted = fit(field, Object.hasOwn(body, field.name) ? body[field.name] : undefined);
      const fallback: unknown = field.schema.default;
      if (fitted !== undefined) value[field.name] = field.check.Decode(fitted);
      else if (fallback !== undefined) value[field.name] = fallback;
    }
    return { ok: true, value };
  };
}

/** Whether a body schema is read leniently (`"x-lenient": true`). */
export function isLenient(schema: TSchema): boolean {
  return schema['x-lenient'] === true;
}

function fit(field: Field, given: unknown): unknown {
  if (given === undefined || passes(field, given)) return given;
  const items = listItemsOf(field.schema);
  return Array.isArray(given) && items !== undefined ? given.filter((item) => Value.Check(items, item)) : undefined;
}

function passes(field: Field, value: unknown): boolean {
  return field.check.Check(value);
}

/** The item schema of a list field (or of the list in a union). */
function listItemsOf(schema: TSchema): TSchema | undefined {
  if (KindGuard.IsArray(schema)) return schema.items;
  return KindGuard.IsUnion(schema) ? schema.anyOf.find((member): member is TArray => KindGuard.IsArray(member))?.items : undefined;
}

function fieldsOf(schema: TObject): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name, schema: property, check: TypeCompiler.Compile(property), required: required.has(name),
  }));
}

/** A strict body's refusal texts are declared on its schemas; one missing is a mistake in the route, found at start-up. */
function errorMessageOf(schema: TSchema, what: string): string {
  const message: unknown = schema['errorMessage'];
  if (typeof message !== 'string') throw new Error(`The body schema declares no errorMessage for ${what}.`);
  return message;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
