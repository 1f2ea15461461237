/**
 * The prototype of every record whose property names a client chose: empty, frozen, and itself
 * without a prototype, so `Object.prototype` is not in the chain and a field called `__proto__`,
 * `constructor` or `toString` is plain own data, as with `Object.create(null)`.
 */
const NO_INHERITED_FIELDS: object = Object.freeze(Object.create(null) as object);

/**
 * A new, empty record for client-named fields (a form, a report's metadata). Unlike
 * `Object.create(null)`, which V8 makes a hash-table ("dictionary mode") object from the start,
 * this one keeps fast properties, so the ingest path's reads of its fields are cheaper
 * (docs/performance.md, "Fields in fast-mode records").
 */
export function newFieldRecord(): Record<string, unknown> {
  return Object.create(NO_INHERITED_FIELDS) as Record<string, unknown>;
}
