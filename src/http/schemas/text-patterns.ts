import { Type, type StaticDecode } from '@sinclair/typebox';
import { nowMicros } from '../../model/clock.js';
import { summaryRangeErrors } from '../../query/summary-request.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { withCrossFieldRule } from '../plugins/admin/text-reader.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Closed, Count, Id, Instant, IsoMicros } from './primitives.js';
import { FlagFilter } from './records.js';

/** `GET /admin/api/summary/text-patterns` (docs/admin-api.md, "Text patterns"). */

const INVALID = 'The text pattern parameters are invalid.';

/** The summary's selection (src/http/schemas/summary.ts) without its detail options. */
export const TextPatternsQuery = withCrossFieldRule(
  Type.Object({
    product_id: Id(),
    data_group: Type.String(),
    from: Type.Optional(Instant()),
    to: Type.Optional(Instant()),
    product_version: Type.Optional(Type.String()),
    has_red_flags: Type.Optional(FlagFilter()),
  }, { additionalProperties: false }),
  (values, errors) => (errors['from'] !== undefined || errors['to'] !== undefined ? {} : summaryRangeErrors(values.from, values.to, nowMicros())),
);

export type TextPatternsQuery = StaticDecode<typeof TextPatternsQuery>;

const ValueCount = Closed({ value: Type.String(), count: Count() });

/** The answer (src/query/text-patterns.ts, TextPatternsAnswer). */
export const TextPatternsAnswer = Closed({
  product_id: Type.Integer(),
  data_group: Type.String(),
  from: IsoMicros(),
  to: IsoMicros(),
  count: Count(),
  read: Closed({ limit: Count(), distinct_values: Count(), reports: Count() }),
  patterns: Type.Array(Closed({ pattern: Type.String(), count: Count(), distinct_values: Count(), values: Type.Array(ValueCount) })),
});

export const textPatternsSchema = {
  querystring: TextPatternsQuery,
  response: adminResponses({ 200: TextPatternsAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};

export const textPatternsRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
