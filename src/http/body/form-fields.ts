import { newFieldRecord } from '../../model/field-record.js';

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
 * The result has no Object.prototype in its chain (model/field-record.ts), so a field called
 * `__proto__` stays plain data. Linear in the number of fields (arrays grow in place), and more
 * than `maxFields` is refused with a 400.
 */
export function foldFields(pairs: Iterable<readonly [string, string]>, maxFields: number = MAX_FIELDS): Record<string, unknown> {
  const folder = new FieldFolder(maxFields);
  for (const [name, value] of pairs) folder.add(name, value);
  return folder.fields;
}

/** foldFields one pair at a time, for a parser that finds them itself (urlencoded.ts: no pair arrays). */
export class FieldFolder {
  readonly fields = newFieldRecord();
  #count = 0;

  constructor(private readonly maxFields: number = MAX_FIELDS) {}

  add(name: string, value: string): void {
    if (++this.#count > this.maxFields) throw new TooManyFieldsError(`The body or query string has more than ${this.maxFields} fields.`);
    const match = name.endsWith(']') ? BRACKETED.exec(name) : null;
    if (!match) {
      this.fields[name] = value;
      return;
    }
    const [, base = name, index = ''] = match;
    this.fields[base] = index === '' ? appendTo(this.fields[base], value) : assignTo(this.fields[base], index, value);
  }
}

/** Every array in `fields` was made here, so growing it in place is safe (copying it was quadratic). */
function appendTo(existing: unknown, value: string): unknown[] {
  if (!Array.isArray(existing)) return [value];
  existing.push(value);
  return existing;
}

function assignTo(existing: unknown, index: string, value: string): Record<string, unknown> {
  const target = isPlainRecord(existing) ? existing : newFieldRecord();
  target[index] = value;
  return target;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
