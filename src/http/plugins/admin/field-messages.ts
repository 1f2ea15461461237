import { KindGuard, type TInteger, type TSchema } from '@sinclair/typebox';

/**
 * The Laravel-style messages of the admin API's query and path parameters, generated from each
 * parameter's schema: its name, whether it is required, its maxLength, and what its type and
 * keywords say it must be. Nothing here knows a parameter by name.
 */

/** How formats read in a message. */
const FORMAT_WORDS: Readonly<Record<string, string>> = {
  instant: 'an ISO-8601 date or Unix seconds',
};

/** `data_group` → `data group`, the way Laravel names a field. */
export function fieldLabel(name: string): string {
  return name.replaceAll('_', ' ');
}

export const fieldMessages = {
  required: (name: string): string => `The ${fieldLabel(name)} field is required.`,
  notText: (name: string): string => `The ${fieldLabel(name)} field must be a string.`,
  tooLong: (name: string, maxLength: number): string => `The ${fieldLabel(name)} field must not be greater than ${maxLength} characters.`,
  invalid: (name: string, schema: TSchema): string => `The ${fieldLabel(name)} field must be ${whatItMustBe(schema)}.`,
  unknown: (name: string): string => `The ${name} parameter is not supported.`,
};

/** What a value of `schema` is, in words: `a positive integer`, `an integer between 1 and 100`, `0 or 1`. */
export function whatItMustBe(schema: TSchema): string {
  if (KindGuard.IsInteger(schema)) return integerWords(schema);
  if (KindGuard.IsUnion(schema) && schema.anyOf.every((member) => KindGuard.IsLiteral(member))) {
    return inWords(schema.anyOf.map((member) => String(member.const)));
  }
  if (KindGuard.IsString(schema) && schema.format !== undefined) return FORMAT_WORDS[schema.format] ?? `a ${schema.format}`;
  return 'a string';
}

function integerWords(schema: TInteger): string {
  if (schema.exclusiveMinimum === 0) return 'a positive integer';
  if (schema.minimum !== undefined && schema.maximum !== undefined) return `an integer between ${schema.minimum} and ${schema.maximum}`;
  return 'an integer';
}

/** `a`, `a or b`, `a, b or c`. */
function inWords(values: readonly string[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;
}
