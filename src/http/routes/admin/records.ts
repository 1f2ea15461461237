import type { FastifyInstance } from 'fastify';
import { recordPage } from '../../../query/record-page.js';
import { queryFields } from '../../body/urlencoded.js';
import type { AppDeps } from '../../app-deps.js';

/**
 * `GET /admin/api/records?<filters>&limit&after_id`: a page of records, filtered like
 * get-telemetry-data (CONTRACT §4) but over every product; `{records, next_after_id}`.
 * Register through `adminApi`.
 */
export function adminRecordsRoute(admin: FastifyInstance, deps: AppDeps): void {
  admin.get('/records', async (request, reply) => {
    const outcome = await recordPage(deps.store.telemetry, queryFields(request.url));
    if (!outcome.ok) return reply.code(400).send({ error: 'The record filters are invalid.', errors: outcome.errors });
    return reply.header('cache-control', 'no-store').send({ records: outcome.records, next_after_id: outcome.next_after_id });
  });
}
