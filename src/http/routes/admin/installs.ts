import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { installs } from '../../../query/installs.js';
import type { TelemetryStore } from '../../../store/contract/store.js';
import { InputError } from '../../plugins/admin/errors.js';
import { readQueryFields } from '../../plugins/admin/validation.js';
import { installsRefusals, installsSchema, type InstallsQuery } from '../../schemas/installs.js';

/**
 * `GET /admin/api/installs?product_id&from&to&interval&by&distinct` (CONTRACT §6, docs/admin-api.md
 * "Installs"); register it through `adminApi`. Bad parameters are 400 with a message per field.
 */
export function adminInstallsRoute(admin: FastifyInstance, telemetry: TelemetryStore): void {
  const options = { schema: installsSchema, config: { adminRefusals: installsRefusals }, preValidation: readQueryFields };
  admin.get<{ Querystring: InstallsQuery }>('/installs', options, async (request) => {
    const { product_id: productId, from, to, interval, by, distinct } = request.query;
    const outcome = await installs(telemetry, { productId, from, to, interval, by, distinct }, nowMicros());
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return outcome.answer;
  });
}
