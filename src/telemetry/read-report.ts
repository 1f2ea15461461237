import type { ReportLookup } from '../model/registry.js';
import { toFieldValue, type FieldValue } from './field-value.js';
import { FIELD_INDEX, FIELD_RULES, RESERVED_FIELDS, type FieldRule } from './fields.js';
import { parseId } from './number.js';
import { newFieldRecord } from '../model/field-record.js';

/** A report's fields normalised, before the registry is consulted. */
export interface ReadReport {
  /** Each field of FIELD_RULES, normalised, at its rule's index (an array: read by index in the checks' loops). */
  fields: readonly FieldValue[];
  /** Fields outside the contract's table, as sent. */
  metadata: Record<string, unknown>;
  /** product_id when it is an integer, else null. */
  productId: number | null;
  /** The optional idempotency key, as sent (telemetry/event-id.ts reads it). */
  eventId: FieldValue;
}

/** The metadata of most reports: none. Frozen and shared; whoever adds to metadata copies it first. */
const NO_METADATA: Record<string, unknown> = Object.freeze(newFieldRecord());

/** Normalises a parsed body (form, JSON or multipart: field name → value). Never throws. */
export function readReport(input: Readonly<Record<string, unknown>>): ReadReport {
  const fields = new Array<FieldValue>(FIELD_RULES.length);
  for (let i = 0; i < FIELD_RULES.length; i++) fields[i] = toFieldValue(input[(FIELD_RULES[i] as FieldRule).name]);
  let metadata: Record<string, unknown> | null = clientMetadata(input['metadata']);
  for (const name of Object.keys(input)) {
    if (RESERVED_FIELDS.has(name) || (name === 'metadata' && metadata !== null)) continue;
    // No Object.prototype in its chain: a field named `__proto__` is plain data.
    (metadata ??= newFieldRecord())[name] = input[name];
  }
  const product = fields[FIELD_INDEX['product_id'] as number];
  const productId = product?.kind === 'string' ? parseId(product.value) : null;
  return { fields, metadata: metadata ?? NO_METADATA, productId, eventId: toFieldValue(input['event_id']) };
}

/**
 * A client's own `metadata` object (the PHP SDK sends one), copied so that its entries become
 * the record's metadata; the report's other extra fields are added after it and win on a clash,
 * and Tally's `raw_*` notes win over both (check-report.ts). Null when `metadata` is absent or
 * not a plain object: then it is kept, as sent, like any other extra field.
 */
function clientMetadata(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.assign(newFieldRecord(), value);
}

/** The value of a field when it is a usable string. */
export function stringOf(read: ReadReport, name: string): string | null {
  const value = read.fields[FIELD_INDEX[name] as number];
  return value?.kind === 'string' ? value.value : null;
}

/**
 * The identifiers to look up in the registry for this report. One holding U+0000 is looked up
 * as null (not found): no registry entry can hold it on PostgreSQL, whose text refuses it (the
 * query would fail and the report be lost), and SQLite must answer the same.
 */
export function lookupFor(read: ReadReport): ReportLookup {
  return {
    productId: read.productId,
    licenseKey: identifierOf(read, 'license_key'),
    productVersion: identifierOf(read, 'product_version'),
    activationIdentifier: identifierOf(read, 'activation_identifier'),
  };
}

function identifierOf(read: ReadReport, name: string): string | null {
  const value = stringOf(read, name);
  return value === null || value.includes('\u0000') ? null : value;
}
