import { Type, type Static, type StaticDecode } from '@sinclair/typebox';
import { nowMicros } from '../../model/clock.js';
import { CHECK_NAMES, type CheckName } from '../../model/summary.js';
import { summaryRangeErrors } from '../../query/summary-request.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { withCrossFieldRule } from '../plugins/admin/text-reader.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Bounded, Closed, Count, Id, Instant, IsoMicros, Nullable, UtcDay } from './primitives.js';
import { FlagFilter } from './records.js';

/** `GET /admin/api/summary` (docs/admin-api.md, "Summary"). */

const INVALID = 'The summary parameters are invalid.';

/** The summary's parameters, in the order their errors are listed. */
export const SummaryQuery = withCrossFieldRule(
  Type.Object({
    product_id: Id(),
    // Text filters of any length, so that every stored value can be summarised (as records can be found).
    data_group: Type.String(),
    from: Type.Optional(Instant()),
    to: Type.Optional(Instant()),
    buckets: Type.Optional(Bounded(1, 100, 20)),
    points: Type.Optional(Bounded(2, 10_000, 1000)),
    top: Type.Optional(Bounded(1, 100, 20)),
    product_version: Type.Optional(Type.String()),
    has_red_flags: Type.Optional(FlagFilter()),
    // Exact percentiles from raw records instead of the rollups' sketch (docs/admin-api.md).
    percentiles: Type.Optional(Type.Literal('exact')),
  }, { additionalProperties: false }),
  // Reported with the fields' own errors, as the summary always has (overview and piracy check their range only once the rest is right).
  (values, errors) => (errors['from'] !== undefined || errors['to'] !== undefined ? {} : summaryRangeErrors(values.from, values.to, nowMicros())),
);

/** The parameters as read: decoded, with the defaults filled in. */
export type SummaryQuery = StaticDecode<typeof SummaryQuery> & Required<Pick<Static<typeof SummaryQuery>, 'buckets' | 'points' | 'top'>>;

const FailedChecks = Closed(Object.fromEntries(CHECK_NAMES.map((check) => [check, Count()])) as Record<CheckName, ReturnType<typeof Count>>);

/** What one license key or user identifier with red-flagged reports did. */
export const alertFields = {
  count: Count(),
  failed_checks: FailedChecks,
  first_seen: IsoMicros(),
  last_seen: IsoMicros(),
};

/** The answer (src/query/summary-answer.ts, SummaryAnswer). */
export const SummaryAnswer = Closed({
  product_id: Type.Integer(),
  data_group: Type.String(),
  from: IsoMicros(),
  to: IsoMicros(),
  total: Count(),
  numeric: Closed({
    count: Count(),
    min: Nullable(Type.Number()),
    max: Nullable(Type.Number()),
    mean: Nullable(Type.Number()),
    p50: Nullable(Type.Number()),
    p90: Nullable(Type.Number()),
    p99: Nullable(Type.Number()),
    percentiles: Type.Union([Type.Literal('exact'), Type.Literal('sketch ±1%')]),
    histogram: Type.Array(Closed({ from: Type.Number(), to: Type.Number(), count: Count() })),
  }),
  xy: Closed({
    count: Count(),
    downsampling: Type.Union([Type.Literal('none'), Type.Literal('min-max')]),
    points: Type.Array(Closed({ x: Type.Number(), y: Type.Number(), created_at: IsoMicros() })),
  }),
  text: Closed({ count: Count(), top: Type.Array(Closed({ value: Type.String(), count: Count() })) }),
  days: Type.Array(Closed({ day: UtcDay(), clean: Count(), flagged: Count() })),
  piracy_alerts: Closed({
    license_keys: Type.Array(Closed({ license_key: Nullable(Type.String()), ...alertFields })),
    user_identifiers: Type.Array(Closed({ user_identifier: Nullable(Type.String()), ...alertFields })),
  }),
});

export const summarySchema = {
  querystring: SummaryQuery,
  response: adminResponses({ 200: SummaryAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};

export const summaryRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
