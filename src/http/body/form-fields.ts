/** `tags[]` → ['tags', ''], `meta[os]` → ['meta', 'os']; plain names → null. */
const BRACKETED = /^([^[\]]+)\[([^[\]]*)\]$/;

/**
 * Folds name/value pairs from a form or multipart body the way the published API reads them:
 * a repeated plain name keeps its last value; `name[]=…` builds an array and `name[k]=…` an
 * object, which the ingest rules then report as "must be a string" (and keep as sent).
 * The result has a null prototype so a field called `__proto__` stays plain data.
 */
export function foldFields(pairs: Iterable<readonly [string, string]>): Record<string, unknown> {
  const fields = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of pairs) {
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

function appendTo(existing: unknown, value: string): unknown[] {
  return Array.isArray(existing) ? [...existing, value] : [value];
}

function assignTo(existing: unknown, index: string, value: string): Record<string, unknown> {
  const target = isPlainRecord(existing) ? existing : (Object.create(null) as Record<string, unknown>);
  target[index] = value;
  return target;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
