import { Type, type TSchema } from '@sinclair/typebox';
import { NONCE_MAX_LENGTH } from '../../envelope/request-nonce.js';
import { DATA_TYPES } from '../../model/record.js';
import { FIELD_RULES, type FieldRule } from '../../telemetry/fields.js';
import { OneOf } from './primitives.js';

/**
 * The fields of one telemetry report (CONTRACT §3), described from the field table the ingest
 * reads (src/telemetry/fields.ts), for the OpenAPI description only. Nothing validates a report
 * with this schema: every report with a usable key is stored, its broken fields listed in the
 * 831 answer's `errors`, so the limits below describe what is correct, not what is accepted.
 */

const KIND_VALUES: Readonly<Record<FieldRule['kind'], () => TSchema>> = {
  product_id: () => Type.Union([Type.Integer(), Type.String({ pattern: '^\\s*\\d+\\s*$' })], { description: 'an existing product the key may use' }),
  string: () => Type.String(),
  data_type: () => OneOf(DATA_TYPES),
  number: () => Type.Union([Type.Number(), Type.String({ description: 'a plain decimal with optional sign, fraction and exponent' })]),
  instant: () => Type.String({ description: 'ISO-8601 or Unix seconds; at most 5 minutes ahead of the server and at most --max-report-age-days old' }),
};

function requirement(rule: FieldRule): string {
  if (rule.requiredWhen === true) return 'required';
  if (rule.requiredWhen === false) return 'optional';
  return `required when data_type is ${rule.requiredWhen}`;
}

function fieldSchema(rule: FieldRule): TSchema {
  const value = KIND_VALUES[rule.kind]();
  const limit = rule.max === null ? '' : `; at most ${rule.max} characters`;
  const described = { ...value, description: `${requirement(rule)}${limit}${value.description === undefined ? '' : `; ${String(value.description)}`}` };
  return rule.max === null ? described : { ...described, maxLength: rule.max };
}

/** The report's own fields, in the order their errors are listed; all optional on the wire, since a missing one is an error in the answer, not a refusal. */
const REPORT_FIELDS = Object.fromEntries(FIELD_RULES.map((rule) => [rule.name, Type.Optional(fieldSchema(rule))]));

/** The API key (or `Authorization: Bearer`), and the nonce echoed in the signed answer. */
export const KeyAndNonce = {
  api_key: Type.Optional(Type.String({ description: 'the API key; or send Authorization: Bearer <key>' })),
  nonce: Type.Optional(Type.String({ maxLength: NONCE_MAX_LENGTH, description: '1–128 printable ASCII characters without spaces, echoed inside the signed response' })),
};

const EVENT_ID = Type.Optional(Type.String({ format: 'uuid', description: 'idempotency key: a report whose event_id was stored before is answered 832 and not stored again' }));
const REPORT_NOTES = {
  additionalProperties: true,
  description: 'Values are trimmed and an empty value counts as missing; a repeated field keeps its last value. Fields not listed are kept in the record\'s metadata (a JSON body\'s metadata object merged into it).',
};

/** One report of a batch: the table's fields, an optional event_id, and any other field kept as the record's metadata (an `api_key` here is ignored). */
export const BatchReport = Type.Object({ ...REPORT_FIELDS, event_id: EVENT_ID }, REPORT_NOTES);

/** The fields of `send-telemetry-data`: a report, with its key and nonce. */
export const ReportRequest = Type.Object({ ...REPORT_FIELDS, event_id: EVENT_ID, ...KeyAndNonce }, REPORT_NOTES);
