import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { piracy } from '../../../query/piracy.js';
import type { TelemetryStore } from '../../../store/contract/store.js';
import { InputError } from '../../plugins/admin/errors.js';
import { readQueryFields } from '../../plugins/admin/validation.js';
import { piracyRefusals, piracySchema, type PiracyQuery } from '../../schemas/piracy.js';

/** `GET /admin/api/piracy?from&to&product_id&top` (docs/dashboard.md); register through `adminApi`. */
export function adminPiracyRoute(admin: FastifyInstance, telemetry: TelemetryStore, maxReportAgeDays: number): void {
  const options = { schema: piracySchema, config: { adminRefusals: piracyRefusals }, preValidation: readQueryFields };
  admin.get<{ Querystring: PiracyQuery }>('/piracy', options, async (request) => {
    const { from, to, product_id: productId, top } = request.query;
    const outcome = await piracy(telemetry, { from, to, productId, top }, nowMicros(), maxReportAgeDays);
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
}
