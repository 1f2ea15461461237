import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { PIRACY_FLAGS, type PiracyFlag } from '../../model/insights.js';
import {
  CLASS_FILTERS, INSIGHT_CLASSES, INSIGHT_LIMIT, LICENSE_SORTS, USER_SORTS, WINDOW_DAYS,
} from '../../query/insights.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Bounded, Closed, Count, Id, IsoMicros, Nullable, OneOf, Text } from './primitives.js';

/** `GET /admin/api/licenses/insights` and `GET /admin/api/users/insights` (docs/admin-api.md, "License insights"). */

const INVALID = 'The insights parameters are invalid.';

/** One of some strings, `fallback` when absent. */
const Choice = <const T extends string>(values: readonly T[], fallback: T): TUnion<TLiteral<T>[]> =>
  Type.Union(values.map((value) => Type.Literal(value)), { default: fallback, description: `one of ${values.join(', ')}; default ${fallback}` });

const common = {
  product_id: Type.Optional(Id()),
  class: Type.Optional(Choice(CLASS_FILTERS, 'all')),
  search: Type.Optional(Text(255)),
  window_days: Type.Optional(Bounded(WINDOW_DAYS.min, WINDOW_DAYS.max, WINDOW_DAYS.fallback)),
  limit: Type.Optional(Bounded(INSIGHT_LIMIT.min, INSIGHT_LIMIT.max, INSIGHT_LIMIT.fallback)),
  after: Type.Optional(Text(1000, { description: 'the `next` of the page before' })),
};

export const LicenseInsightsQuery = Type.Object({ ...common, sort: Type.Optional(Choice(LICENSE_SORTS, 'machines')) }, { additionalProperties: false });
export const UserInsightsQuery = Type.Object({ ...common, sort: Type.Optional(Choice(USER_SORTS, 'machines')) }, { additionalProperties: false });

type Defaulted = 'class' | 'sort' | 'window_days' | 'limit';
/** The parameters as read, with the defaults filled in (no field needs decoding). */
export type LicenseInsightsQuery = Static<typeof LicenseInsightsQuery> & Required<Pick<Static<typeof LicenseInsightsQuery>, Defaulted>>;
export type UserInsightsQuery = Static<typeof UserInsightsQuery> & Required<Pick<Static<typeof UserInsightsQuery>, Defaulted>>;

const Flags = Closed(Object.fromEntries(PIRACY_FLAGS.map((flag) => [flag, Count()])) as Record<PiracyFlag, ReturnType<typeof Count>>);

const rest = {
  networks: Count(),
  versions: Type.Array(Type.String()),
  reports: Count(),
  flagged_reports: Count(),
  client_bug_reports: Count(),
  flags: Flags,
  class: Type.Array(OneOf(INSIGHT_CLASSES)),
  blocked: Type.Boolean(),
  first_seen: IsoMicros(),
  last_seen: IsoMicros(),
};

/** A license key's row (src/query/insights.ts, LicenseInsight). */
export const LicenseInsight = Closed({
  license_key: Type.String(), product_id: Type.Integer(), seats: Nullable(Type.Integer({ minimum: 1 })), machines: Count(), users: Count(), ...rest,
});
/** A user identifier's row (UserInsight). */
export const UserInsight = Closed({ user_identifier: Type.String(), product_id: Type.Integer(), machines: Count(), licenses: Count(), ...rest });

const page = <T extends ReturnType<typeof Closed>>(row: T) => Closed({ data: Type.Array(row), next: Nullable(Type.String()) });
export const LicenseInsightsAnswer = page(LicenseInsight);
export const UserInsightsAnswer = page(UserInsight);

export const licenseInsightsSchema = {
  querystring: LicenseInsightsQuery,
  response: adminResponses({ 200: LicenseInsightsAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};
export const userInsightsSchema = {
  querystring: UserInsightsQuery,
  response: adminResponses({ 200: UserInsightsAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};

export const insightsRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
