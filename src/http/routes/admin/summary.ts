import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { summarizeTelemetry } from '../../../query/summarize.js';
import type { SummaryParams } from '../../../query/summary-request.js';
import type { TelemetryStore } from '../../../store/contract/store.js';
import { InputError } from '../../plugins/admin/errors.js';
import { readQueryFields } from '../../plugins/admin/validation.js';
import { summaryRefusals, summarySchema, type SummaryQuery } from '../../schemas/summary.js';
import { textPatternsRefusals, textPatternsSchema, type TextPatternsQuery } from '../../schemas/text-patterns.js';
import { textPatterns } from '../../../query/text-patterns.js';
import { versionSeriesRefusals, versionSeriesSchema, type VersionSeriesQuery } from '../../schemas/version-series.js';
import { versionSeries } from '../../../query/version-series.js';

/** The summary's parameters as the use case takes them. */
export function summaryParams(query: SummaryQuery): SummaryParams {
  return {
    productId: query.product_id,
    dataGroup: query.data_group,
    from: query.from,
    to: query.to,
    options: { buckets: query.buckets, points: query.points, top: query.top, ...(query.percentiles === 'exact' ? { exact: true } : {}) },
    productVersion: query.product_version,
    hasRedFlags: query.has_red_flags,
  };
}

/**
 * `GET /admin/api/summary`, `GET /admin/api/summary/text-patterns` and `GET /admin/api/summary/versions`
 * (docs/admin-api.md): register them through `adminApi`, which puts it
 * behind the admin token. The query string is read like the rest of the API reads fields (a
 * repeated name keeps its last value, `name[]=` is refused) against src/http/schemas/summary.ts;
 * bad parameters are 400 with a message per field, the summary is 200.
 */
export function adminSummaryRoute(admin: FastifyInstance, telemetry: TelemetryStore, maxReportAgeDays: number): void {
  const options = { schema: summarySchema, config: { adminRefusals: summaryRefusals }, preValidation: readQueryFields };
  admin.get<{ Querystring: SummaryQuery }>('/summary', options, async (request) => {
    const outcome = await summarizeTelemetry(telemetry, summaryParams(request.query), nowMicros(), maxReportAgeDays);
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
  const patterns = { schema: textPatternsSchema, config: { adminRefusals: textPatternsRefusals }, preValidation: readQueryFields };
  admin.get<{ Querystring: TextPatternsQuery }>('/summary/text-patterns', patterns, async (request) => {
    const { product_id, data_group, from, to, product_version, has_red_flags } = request.query;
    const outcome = await textPatterns(telemetry, { productId: product_id, dataGroup: data_group, from, to, productVersion: product_version, hasRedFlags: has_red_flags }, nowMicros(), maxReportAgeDays);
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
  const versions = { schema: versionSeriesSchema, config: { adminRefusals: versionSeriesRefusals }, preValidation: readQueryFields };
  admin.get<{ Querystring: VersionSeriesQuery }>('/summary/versions', versions, async (request) => {
    const { product_id, data_group, from, to, interval, versions: named } = request.query;
    const outcome = await versionSeries(telemetry, { productId: product_id, dataGroup: data_group, from, to, interval, versions: named }, nowMicros());
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
}
