import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { overview } from '../../../query/overview.js';
import type { TelemetryStore } from '../../../store/contract/store.js';
import { InputError } from '../../plugins/admin/errors.js';
import { readQueryFields } from '../../plugins/admin/validation.js';
import { overviewRefusals, overviewSchema, type OverviewQuery } from '../../schemas/overview.js';

/** `GET /admin/api/overview?from&to&product_id` (docs/dashboard.md); register through `adminApi`. */
export function adminOverviewRoute(admin: FastifyInstance, telemetry: TelemetryStore, maxReportAgeDays: number): void {
  const options = { schema: overviewSchema, config: { adminRefusals: overviewRefusals }, preValidation: readQueryFields };
  admin.get<{ Querystring: OverviewQuery }>('/overview', options, async (request) => {
    const { from, to, product_id: productId } = request.query;
    const outcome = await overview(telemetry, { from, to, productId }, nowMicros(), maxReportAgeDays);
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
}
