import type { FieldChange } from '../../model/audit.js';

/** Values compared as JSON: arrays and objects by content, `undefined` as null. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The named fields whose values differ between `before` and `after`, each with both values (null when absent). */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of fields) {
    if (!same(before[field], after[field])) changes[field] = { before: before[field] ?? null, after: after[field] ?? null };
  }
  return changes;
}

/** A new thing's named fields that have a value: before null, after the value (a field left null did not change). */
export function createdFields<T extends object>(after: T, fields: readonly (keyof T & string)[]): Record<string, FieldChange> {
  return changedFields<Partial<T>>({}, after, fields);
}

/** A removed thing's named fields that had a value: before the value, after null. */
export function removedFields<T extends object>(before: T, fields: readonly (keyof T & string)[]): Record<string, FieldChange> {
  return changedFields<Partial<T>>(before, {}, fields);
}
