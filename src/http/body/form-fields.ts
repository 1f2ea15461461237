/** Most fields one form body or query string may hold; the multipart reader stops at the same count. */
export const MAX_FIELDS = 1000;

/** Thrown for a form body, query string or multipart body with more than MAX_FIELDS fields. */
export class TooManyFieldsError extends Error {
  override readonly name = 'TooManyFieldsError';
  readonly statusCode = 400;
}

/** `tags[]` → ['tags', ''], `meta[os]` → ['meta', 'os']; plain names → null. */
const BRACKETED = /^([^[\]]+)\[([^[\]]*)\]$/;

/**
 * Folds name/value pairs from a form or multipart body the way the published API reads them:
 * a repeated plain name keeps its last value; `name[]=…` builds an array and `name[k]=…` an
 * object, which the ingest rules then report as "must be a string" (and keep as sent).
 * The result has a null prototype so a field called `__proto__` stays plain data. Linear in the
 * number of fields (arrays grow in place), and more than `maxFields` is refused with a 400.
 */
export function foldFields(pairs: Iterable<readonly [string, string]>, maxFields: number = MAX_FIELDS): Record<string, unknown> {
  const fields = Object.create(null) as Record<string, unknown>;
  let count = 0;
  for (const [name, value] of pairs) {
    if (++count > maxFields) throw new TooManyFieldsError(`The body or query string has more than ${maxFields} fields.`);
    const match = name.endsWith(']') ? BRACKETED.exec(name) : null;
    if (!match) {
      fields[name] = value;
      continue;
    }
    const [, base = name, index = ''] = match;
    fields[base] = index === '' ? appendTo(fields[base], value) : assignTo(fields[base], index, value);
  }
  return fields;
}

/** Every array in `fields` was made here, so growing it in place is safe (copying it was quadratic). */
function appendTo(existing: unknown, value: string): unknown[] {
  if (!Array.isArray(existing)) return [value];
  existing.push(value);
  return existing;
}

function assignTo(existing: unknown, index: string, value: string): Record<string, unknown> {
  const target = isPlainRecord(existing) ? existing : (Object.create(null) as Record<string, unknown>);
  target[index] = value;
  return target;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
