import { Type, type StaticDecode } from '@sinclair/typebox';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Closed, Count, Id, Instant, IsoMicros, Nullable } from './primitives.js';

/** `GET /admin/api/overview` (docs/dashboard.md). */

const INVALID = 'The overview parameters are invalid.';

export const OverviewQuery = Type.Object({
  from: Type.Optional(Instant()),
  to: Type.Optional(Instant()),
  product_id: Type.Optional(Id()),
}, { additionalProperties: false });

export type OverviewQuery = StaticDecode<typeof OverviewQuery>;

const counts = { total: Count(), clean: Count(), flagged: Count() };
const Series = Type.Array(Closed({ start: IsoMicros(), clean: Count(), flagged: Count() }));

/** The answer (src/query/overview.ts, OverviewAnswer). */
export const OverviewAnswer = Closed({
  from: IsoMicros(),
  to: IsoMicros(),
  bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
  ...counts,
  series: Series,
  products: Type.Array(Closed({ product_id: Nullable(Type.Integer()), ...counts, series: Series })),
  groups: Type.Array(Closed({ product_id: Nullable(Type.Integer()), data_group: Nullable(Type.String()), data_type: Nullable(Type.String()), ...counts })),
});

export const overviewSchema = {
  querystring: OverviewQuery,
  response: adminResponses({ 200: OverviewAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};

export const overviewRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
