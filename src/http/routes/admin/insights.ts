import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { licenseInsights, userInsights, type InsightsDeps, type InsightsParams } from '../../../query/insights.js';
import { InputError } from '../../plugins/admin/errors.js';
import { readQueryFields } from '../../plugins/admin/validation.js';
import {
  insightsRefusals, licenseInsightsSchema, userInsightsSchema, type LicenseInsightsQuery, type UserInsightsQuery,
} from '../../schemas/insights.js';

function paramsOf(query: LicenseInsightsQuery | UserInsightsQuery): InsightsParams {
  const { product_id: productId, class: classFilter, sort, search, window_days: windowDays, limit, after } = query;
  return { productId, class: classFilter, sort, search, windowDays, limit, after };
}

/**
 * `GET /admin/api/licenses/insights` and `GET /admin/api/users/insights` (docs/admin-api.md,
 * "License insights"); register through `adminApi`.
 */
export function adminInsightsRoutes(admin: FastifyInstance, deps: InsightsDeps): void {
  const config = { adminRefusals: insightsRefusals };
  const licenses = { schema: licenseInsightsSchema, config, preValidation: readQueryFields };
  const users = { schema: userInsightsSchema, config, preValidation: readQueryFields };
  admin.get<{ Querystring: LicenseInsightsQuery }>('/licenses/insights', licenses, async (request) => {
    const outcome = await licenseInsights(deps, paramsOf(request.query), nowMicros());
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
  admin.get<{ Querystring: UserInsightsQuery }>('/users/insights', users, async (request) => {
    const outcome = await userInsights(deps, paramsOf(request.query), nowMicros());
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
}
