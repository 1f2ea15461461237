import type { ReportFacts } from '../model/registry.js';
import { fieldErrors, type FieldContext } from './field-errors.js';
import { hasLoneSurrogate, wellFormed } from './field-value.js';
import { FIELD_INDEX, FIELD_RULES, type FieldRule } from './fields.js';
import { readReportedAt, type ReportedAt } from './reported-at.js';
import { DEFAULT_MAX_REPORT_AGE_DAYS } from '../model/record-time.js';
import { rawEventId, readEventId } from './event-id.js';
import { computeFlags, isProductValid } from './flags.js';
import { parseDecimal } from './number.js';
import { stringOf, type ReadReport } from './read-report.js';
import type { FieldErrors, NewTelemetryRecord } from '../model/record.js';
import { newFieldRecord } from '../model/field-record.js';

const REPORTED_AT = FIELD_INDEX['reported_at'] as number;

/** Who sent the report and when: what the transport knows, not the body. */
export interface ReportContext {
  apiKeyId: number | null;
  /** Product ids the API key may use; empty = every product. */
  allowedProducts: readonly number[];
  clientIp: string | null;
  /** Microseconds since the Unix epoch. */
  nowUs: number;
  /** Whether the blocklist matched the report (ingest/ingest-report.ts); absent = not blocked. */
  blocked?: boolean;
  /** `--max-report-age-days`: the oldest reported_at accepted; absent = the default (90). */
  maxReportAgeDays?: number;
}

/**
 * Applies every rule of the contract to a read report and the registry's facts about it.
 * Pure and total: bad input becomes errors and flags on the record, never an exception.
 */
export function checkReport(read: ReadReport, facts: ReportFacts, context: ReportContext): NewTelemetryRecord {
  const productValid = isProductValid(facts, context.allowedProducts);
  const eventId = readEventId(read.eventId);
  const reportedAt = readReportedAt(read.fields[REPORTED_AT], context.nowUs, context.maxReportAgeDays ?? DEFAULT_MAX_REPORT_AGE_DAYS);
  const errors = collectErrors(read, { dataType: stringOf(read, 'data_type'), productValid, reportedAtError: reportedAt.error });
  if (eventId.error !== null) errors['event_id'] = [eventId.error];
  const correct = Object.keys(errors).length === 0;
  const flags = computeFlags(facts, productValid, correct, context.nowUs / 1000);
  return {
    api_key_id: context.apiKeyId,
    product_id: read.productId,
    user_identifier: columnText(read, 'user_identifier'),
    license_key: columnText(read, 'license_key'),
    activation_identifier: columnText(read, 'activation_identifier'),
    product_version: columnText(read, 'product_version'),
    data_type: columnText(read, 'data_type'),
    data_group: columnText(read, 'data_group'),
    data: nullableWellFormed(dataAsSent(read)),
    numeric_data_single_value: numberOf(read, 'numeric_data_single_value'),
    numeric_data_x: numberOf(read, 'numeric_data_x'),
    numeric_data_y: numberOf(read, 'numeric_data_y'),
    text_data: columnText(read, 'text_data'),
    // Field by field, not `...flags`: object spread costs measurably on the batch hot path.
    is_correct_format: flags.is_correct_format,
    product_exists: flags.product_exists,
    license_key_exists: flags.license_key_exists,
    product_version_exists: flags.product_version_exists,
    activation_exists: flags.activation_exists,
    license_active: flags.license_active,
    has_red_flags: flags.has_red_flags,
    errors,
    metadata: metadataWithRawValues(read, eventId.error !== null, reportedAt),
    client_ip: context.clientIp,
    blocked: context.blocked === true ? 1 : 0,
    created_at_us: context.nowUs,
    reported_at_us: reportedAt.us,
    event_id: eventId.eventId,
  };
}

function collectErrors(read: ReadReport, context: FieldContext): FieldErrors {
  const errors: FieldErrors = {};
  for (let i = 0; i < FIELD_RULES.length; i++) {
    const rule = FIELD_RULES[i] as FieldRule;
    const messages = fieldErrors(rule, read.fields[i] ?? { kind: 'missing' }, context);
    if (messages.length > 0) errors[rule.name] = [...messages];
  }
  return errors;
}

/** A string field as its text column holds it; the value as sent goes to metadata when they differ. */
function columnText(read: ReadReport, name: string): string | null {
  return nullableWellFormed(stringOf(read, name));
}

function nullableWellFormed(text: string | null): string | null {
  return text === null ? null : wellFormed(text);
}

function numberOf(read: ReadReport, name: string): number | null {
  const text = stringOf(read, name);
  return text === null ? null : parseDecimal(text);
}

/** The value as sent, for the report's data type: the single value, the text, or `{"x":…,"y":…}`. */
function dataAsSent(read: ReadReport): string | null {
  switch (stringOf(read, 'data_type')) {
    case 'numeric-single-value':
      return stringOf(read, 'numeric_data_single_value');
    case 'text':
      return stringOf(read, 'text_data');
    case 'numeric-xy-axis':
      return JSON.stringify({ x: stringOf(read, 'numeric_data_x'), y: stringOf(read, 'numeric_data_y') });
    default:
      return null;
  }
}

/**
 * Nothing sent is thrown away: a table field whose value has no column to hold it (an array,
 * a product_id that is not an integer, a number that does not parse, text with a lone surrogate
 * that UTF-8 cannot encode, a reported_at that was refused) is kept as `raw_<field>`.
 */
function metadataWithRawValues(read: ReadReport, badEventId: boolean, reportedAt: ReportedAt): Record<string, unknown> {
  // Copied only when a raw value is added (rare): read.metadata itself is never changed.
  let metadata: Record<string, unknown> | null = null;
  for (let i = 0; i < FIELD_RULES.length; i++) {
    const rule = FIELD_RULES[i] as FieldRule;
    const value = read.fields[i];
    if (value?.kind === 'invalid') metadata = withRawValue(metadata, read, `raw_${rule.name}`, value.raw);
    else if (value?.kind === 'string' && (!fitsColumn(rule.kind, value.value, read, reportedAt) || hasLoneSurrogate(value.value))) {
      metadata = withRawValue(metadata, read, `raw_${rule.name}`, value.value);
    }
  }
  // An event_id that is not a UUID is kept as sent, like any value without a column.
  if (badEventId) metadata = withRawValue(metadata, read, 'raw_event_id', rawEventId(read.eventId));
  return metadata ?? read.metadata;
}

/** The metadata being built (first a copy of the report's own) with `name` set. */
function withRawValue(metadata: Record<string, unknown> | null, read: ReadReport, name: string, value: unknown): Record<string, unknown> {
  const target = metadata ?? Object.assign(newFieldRecord(), read.metadata);
  target[name] = value;
  return target;
}

function fitsColumn(kind: string, text: string, read: ReadReport, reportedAt: ReportedAt): boolean {
  if (kind === 'product_id') return read.productId !== null;
  // A reported_at that was refused (not a date, or out of the window) is kept as sent.
  if (kind === 'instant') return reportedAt.us !== null;
  if (kind === 'number') return parseDecimal(text) !== null;
  return true;
}
