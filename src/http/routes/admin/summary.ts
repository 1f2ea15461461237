import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { summarizeTelemetry } from '../../../query/summarize.js';
import { queryFields } from '../../body/urlencoded.js';
import type { AppDeps } from '../../app-deps.js';

/**
 * `GET /admin/api/summary` (docs/admin-api.md): register it through `adminApi`, which puts it
 * behind the admin token. The query string is read like the rest of the API reads fields (a
 * repeated name keeps its last value, `name[]=` is refused). Bad parameters are 400 with a
 * message per field; the summary is 200.
 */
export function adminSummaryRoute(admin: FastifyInstance, deps: AppDeps): void {
  admin.get('/summary', async (request, reply) => {
    const outcome = await summarizeTelemetry(deps.store.telemetry, queryFields(request.url), nowMicros());
    if (!outcome.ok) return reply.code(400).send({ error: 'The summary parameters are invalid.', errors: outcome.errors });
    return reply.send(outcome.answer);
  });
}
