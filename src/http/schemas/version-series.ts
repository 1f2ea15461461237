import { Type, type Static, type StaticDecode } from '@sinclair/typebox';
import { nowMicros } from '../../model/clock.js';
import { versionSeriesErrors } from '../../query/version-series.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { withCrossFieldRule } from '../plugins/admin/text-reader.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Closed, Count, Id, Instant, IsoMicros, Nullable } from './primitives.js';
import type { VersionInterval } from '../../model/version-series.js';

/** `GET /admin/api/summary/versions` (docs/admin-api.md, "Versions over time"). */

const INVALID = 'The version comparison parameters are invalid.';

/** A comma-separated list of product versions, read as the list (each name trimmed). */
const VersionList = () =>
  Type.Transform(Type.String({ maxLength: 2000, description: 'product versions separated by commas, at most 8' }))
    .Decode((text) => text.split(',').map((version) => version.trim()))
    .Encode((versions) => versions.join(','));

const Interval = (options: { default?: VersionInterval } = {}) =>
  Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('week')], options);

export const VersionSeriesQuery = withCrossFieldRule(
  Type.Object({
    product_id: Id(),
    data_group: Type.String(),
    from: Type.Optional(Instant()),
    to: Type.Optional(Instant()),
    interval: Type.Optional(Interval({ default: 'day' })),
    versions: Type.Optional(VersionList()),
  }, { additionalProperties: false }),
  // The range, the number of buckets and the list of versions, once each field on its own is right.
  (values, errors) => versionSeriesErrors(
    { from: errors['from'] === undefined ? values.from : undefined, to: errors['to'] === undefined ? values.to : undefined,
      interval: errors['interval'] === undefined ? values.interval : undefined, versions: errors['versions'] === undefined ? values.versions : undefined },
    nowMicros(),
  ),
);

/** The parameters as read: decoded, with the default interval filled in. */
export type VersionSeriesQuery = StaticDecode<typeof VersionSeriesQuery> & Required<Pick<Static<typeof VersionSeriesQuery>, 'interval'>>;

const VersionCount = Closed({ product_version: Nullable(Type.String()), count: Count() });

/** The answer (src/query/version-series.ts, VersionSeriesAnswer). */
export const VersionSeriesAnswer = Closed({
  product_id: Type.Integer(),
  data_group: Type.String(),
  from: IsoMicros(),
  to: IsoMicros(),
  interval: Interval(),
  percentiles: Type.Literal('exact'),
  distinct_versions: Count(),
  versions: Type.Array(VersionCount),
  versions_left_out: Type.Array(VersionCount),
  buckets: Type.Array(Type.String()),
  series: Type.Array(Closed({ bucket: Type.String(), product_version: Nullable(Type.String()), count: Count(), p50: Type.Number(), p90: Type.Number() })),
});

export const versionSeriesSchema = {
  querystring: VersionSeriesQuery,
  response: adminResponses({ 200: VersionSeriesAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};

export const versionSeriesRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
