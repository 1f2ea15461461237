import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { EXPORT_CONTENT_TYPES, exportLines, inChunks } from '../../../query/export.js';
import { parseExportRequest } from '../../../query/export-request.js';
import { queryFields } from '../../body/urlencoded.js';
import type { AppDeps } from '../../app-deps.js';

/**
 * `GET /admin/api/export?format=ndjson|csv&<filters>`: every matching record, streamed a page
 * of the store at a time as the client reads, so memory stays flat for any number of records.
 * Register it through `adminApi`, which puts it behind the admin token. Bad parameters are 400
 * with a message per field (the query API's messages).
 */
export function adminExportRoute(admin: FastifyInstance, deps: AppDeps): void {
  admin.get('/export', async (request, reply) => {
    const parsed = parseExportRequest(queryFields(request.url));
    if (!parsed.ok) return reply.code(400).send({ error: 'The export parameters are invalid.', errors: parsed.errors });
    const lines = exportLines(deps.store.telemetry, parsed.filter, parsed.format, parsed.afterId);
    return reply
      .type(EXPORT_CONTENT_TYPES[parsed.format])
      .header('content-disposition', `attachment; filename="tally-export.${parsed.format}"`)
      .send(Readable.from(inChunks(lines)));
  });
}
