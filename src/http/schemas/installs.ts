import { Type, type Static, type StaticDecode, type TLiteral, type TUnion } from '@sinclair/typebox';
import { HLL_DISTINCT_LABEL, INSTALLS_BREAKDOWNS, INSTALLS_DISTINCT, INSTALLS_INTERVALS } from '../../model/installs.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Closed, Count, Id, Instant, IsoMicros, OneOf } from './primitives.js';

/** `GET /admin/api/installs` (CONTRACT §6, docs/admin-api.md "Installs"). */

const INVALID = 'The installs parameters are invalid.';

/** One of a list of words, `fallback` when absent. */
const Choice = <const T extends string>(values: readonly T[], fallback: T): TUnion<TLiteral<T>[]> =>
  Type.Union(values.map((value) => Type.Literal(value)), { default: fallback });

/** The parameters, in the order their errors are listed. */
export const InstallsQuery = Type.Object({
  product_id: Id(),
  from: Type.Optional(Instant()),
  to: Type.Optional(Instant()),
  interval: Type.Optional(Choice(INSTALLS_INTERVALS, 'day')),
  by: Type.Optional(Choice(INSTALLS_BREAKDOWNS, 'none')),
  distinct: Type.Optional(Choice(INSTALLS_DISTINCT, 'hll')),
}, { additionalProperties: false });

/** The parameters as read: decoded (StaticDecode loses a union built from a list, hence Static for those), with `interval`, `by` and `distinct` defaulted. */
export type InstallsQuery = Omit<StaticDecode<typeof InstallsQuery>, 'interval' | 'by' | 'distinct'> & Required<Pick<Static<typeof InstallsQuery>, 'interval' | 'by' | 'distinct'>>;

/** The answer (src/query/installs.ts, InstallsAnswer). */
export const InstallsAnswer = Closed({
  product_id: Type.Integer(),
  interval: OneOf(INSTALLS_INTERVALS),
  by: OneOf(INSTALLS_BREAKDOWNS),
  from: IsoMicros(),
  to: IsoMicros(),
  distinct: Type.Union([Type.Literal('exact'), Type.Literal(HLL_DISTINCT_LABEL)]),
  totals: Closed({ machines: Count(), users: Count() }),
  series: Type.Array(Closed({
    bucket: Type.String({ pattern: '^\\d{4}-\\d{2}(-\\d{2})?$', description: 'UTC: YYYY-MM-DD for a day, the Monday of an ISO week; YYYY-MM for a month' }),
    key: Type.String(),
    machines: Count(),
    users: Count(),
    new_machines: Count(),
  })),
});

export const installsSchema = {
  querystring: InstallsQuery,
  response: adminResponses({ 200: InstallsAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};

export const installsRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
