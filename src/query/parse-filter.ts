import { toFieldValue, wellFormed, type FieldValue } from '../telemetry/field-value.js';
import { DATA_TYPES, FLAG_NAMES, type FieldErrors, type ReportFlags } from '../model/record.js';
import { DEFAULT_LIMIT, FILTER_FIELDS, FLAG_WORDS, FLAG_WORDS_TEXT, MAX_LIMIT, type FilterField } from './filter-fields.js';
import { parseInstant, type Instant } from '../model/parse-instant.js';
import type { PageRequest, TelemetryFilter } from '../model/filter.js';
import { createdAtBounds, DEFAULT_MAX_REPORT_AGE_DAYS } from '../model/record-time.js';

/** A query's fields read into a filter and a page, or every problem with them (972). */
export type ParsedQuery =
  | { ok: true; filter: TelemetryFilter; page: PageRequest }
  | { ok: false; errors: FieldErrors };

type Value = string | number | Instant;
type Read = { ok: true; value: Value } | { ok: false; message: string };

const DATA_TYPE_SET: ReadonlySet<string> = new Set(DATA_TYPES);
const INTEGER = /^[+-]?(?:0|[1-9]\d*)$/;

/**
 * Reads the query API's fields (CONTRACT §4) strictly: unlike ingest, a malformed filter is
 * refused with Laravel-style messages, in field order. Values are trimmed, empty ones count as
 * absent, unknown fields (and `api_key`) are ignored. Text filters take any length, so every
 * stored value can be looked for; flags take `1`/`0`/`true`/`false`. `allowedProducts` is the API key's scope
 * (empty = every product); it is intersected into `filter.productIds`. `from`/`to` bound created_at,
 * `reported_from`/`reported_to` reported_at; a reported_at range also narrows created_at to the
 * range it implies under `maxReportAgeDays` (model/record-time.ts), so it reads by the created_at
 * indexes. Never throws.
 */
export function parseFilter(
  input: Readonly<Record<string, unknown>>,
  allowedProducts: readonly number[],
  maxReportAgeDays: number = DEFAULT_MAX_REPORT_AGE_DAYS,
): ParsedQuery {
  const values = new Map<string, Value>();
  const errors: FieldErrors = {};
  for (const field of FILTER_FIELDS) {
    const value = toFieldValue(input[field.name]);
    if (value.kind === 'missing') continue;
    const read = readField(field, value);
    if (read.ok) values.set(field.name, read.value);
    else errors[field.name] = [read.message];
  }
  checkRangeOrder(values, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, filter: toFilter(values, allowedProducts, maxReportAgeDays), page: toPage(values) };
}

function readField(field: FilterField, value: Exclude<FieldValue, { kind: 'missing' }>): Read {
  const text = value.kind === 'string' ? value.value : null;
  switch (field.kind) {
    case 'product_id':
      return readInteger(field, text);
    case 'data_type':
      if (text === null) return fail(`The ${field.label} field must be a string.`);
      return DATA_TYPE_SET.has(text) ? { ok: true, value: text } : fail(`The selected ${field.label} is invalid.`);
    case 'string':
      // Any length (a stored value is always a usable filter); lone surrogates as the store keeps them.
      return text === null ? fail(`The ${field.label} field must be a string.`) : { ok: true, value: wellFormed(text) };
    case 'flag':
      return readFlag(field, text);
    case 'date': {
      const instant = text === null ? null : parseInstant(text);
      return instant ? { ok: true, value: instant } : fail(`The ${field.label} field must be a valid date.`);
    }
    case 'limit':
      return inRange(readInteger(field, text), MAX_LIMIT, `The ${field.label} field must be between 1 and ${MAX_LIMIT}.`, 1);
    case 'after_id':
      return inRange(readInteger(field, text), Number.MAX_SAFE_INTEGER, `The ${field.label} field must be at least 0.`, 0);
  }
}

function fail(message: string): Read {
  return { ok: false, message };
}

function readInteger(field: FilterField, text: string | null): Read {
  const value = text !== null && INTEGER.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) ? { ok: true, value } : fail(`The ${field.label} field must be an integer.`);
}

function readFlag(field: FilterField, text: string | null): Read {
  const value = text === null ? undefined : FLAG_WORDS.get(text);
  return value === undefined ? fail(`The ${field.label} field must be ${FLAG_WORDS_TEXT}.`) : { ok: true, value };
}

function inRange(read: Read, max: number, message: string, min: number): Read {
  if (!read.ok || typeof read.value !== 'number') return read;
  return read.value >= min && read.value <= max ? read : fail(message);
}

/** `to` before `from` is an error of `to` (when both are valid dates); `reported_to` before `reported_from` likewise. */
function checkRangeOrder(values: ReadonlyMap<string, Value>, errors: FieldErrors): void {
  for (const [fromName, toName] of [['from', 'to'], ['reported_from', 'reported_to']] as const) {
    const from = instantOf(values, fromName);
    const to = instantOf(values, toName);
    if (from && to && to.us < from.us) errors[toName] = [`The ${toName.replaceAll('_', ' ')} field must be a date after or equal to ${fromName.replaceAll('_', ' ')}.`];
  }
}

function toFilter(values: ReadonlyMap<string, Value>, allowedProducts: readonly number[], maxReportAgeDays: number): TelemetryFilter {
  const filter: TelemetryFilter = { productIds: productIds(numberOf(values, 'product_id'), allowedProducts) };
  const text = (name: string): string | undefined => textOf(values, name);
  assignDefined(filter, {
    dataType: text('data_type'),
    dataGroup: text('data_group'),
    userIdentifier: text('user_identifier'),
    licenseKey: text('license_key'),
    activationIdentifier: text('activation_identifier'),
    productVersion: text('product_version'),
    flags: flagsOf(values),
    blocked: bitOf(values, 'blocked'),
    ...createdRange(values, maxReportAgeDays),
    reportedFromUs: instantOf(values, 'reported_from')?.us,
    reportedToUs: endOf(instantOf(values, 'reported_to')),
  });
  return filter;
}

/** `from`/`to` on created_at, narrowed to the created_at range that a reported_at range implies. */
function createdRange(values: ReadonlyMap<string, Value>, maxReportAgeDays: number): { fromUs?: number; toUs?: number } {
  const fromUs = instantOf(values, 'from')?.us;
  // `to` is inclusive of the whole unit it names: `to=2024-02-29` covers that day.
  const toUs = endOf(instantOf(values, 'to'));
  const implied = createdAtBounds(instantOf(values, 'reported_from')?.us, endOf(instantOf(values, 'reported_to')), maxReportAgeDays);
  return { fromUs: tighter(fromUs, implied.fromUs, Math.max), toUs: tighter(toUs, implied.toUs, Math.min) };
}

function tighter(a: number | undefined, b: number | undefined, pick: (x: number, y: number) => number): number | undefined {
  return a === undefined ? b : b === undefined ? a : pick(a, b);
}

function toPage(values: ReadonlyMap<string, Value>): PageRequest {
  return { afterId: numberOf(values, 'after_id') ?? 0, limit: numberOf(values, 'limit') ?? DEFAULT_LIMIT };
}

/** The `product_id` filter within the key's scope: null = any product, [] = none. */
function productIds(requested: number | undefined, allowed: readonly number[]): readonly number[] | null {
  if (requested === undefined) return allowed.length === 0 ? null : [...allowed];
  return allowed.length === 0 || allowed.includes(requested) ? [requested] : [];
}

function flagsOf(values: ReadonlyMap<string, Value>): TelemetryFilter['flags'] {
  const flags: Partial<Record<keyof ReportFlags, 0 | 1>> = {};
  for (const name of FLAG_NAMES) {
    const value = numberOf(values, name);
    if (value !== undefined) flags[name] = value === 1 ? 1 : 0;
  }
  return Object.keys(flags).length > 0 ? flags : undefined;
}

function bitOf(values: ReadonlyMap<string, Value>, name: string): 0 | 1 | undefined {
  const value = numberOf(values, name);
  return value === undefined ? undefined : value === 1 ? 1 : 0;
}

function endOf(instant: Instant | undefined): number | undefined {
  return instant === undefined ? undefined : instant.us + instant.unitUs - 1;
}

/** Copies the defined entries only, so an absent filter is an absent key, not `undefined`. */
function assignDefined(target: TelemetryFilter, entries: Partial<TelemetryFilter>): void {
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) Object.assign(target, { [key]: value });
  }
}

function textOf(values: ReadonlyMap<string, Value>, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

function numberOf(values: ReadonlyMap<string, Value>, name: string): number | undefined {
  const value = values.get(name);
  return typeof value === 'number' ? value : undefined;
}

function instantOf(values: ReadonlyMap<string, Value>, name: string): Instant | undefined {
  const value = values.get(name);
  return typeof value === 'object' ? value : undefined;
}
