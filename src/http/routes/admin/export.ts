import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { EXPORT_CONTENT_TYPES, exportLines, inChunks } from '../../../query/export.js';
import { parseExportRequest } from '../../../query/export-request.js';
import type { TelemetryStore } from '../../../store/contract/store.js';
import { InputError } from '../../plugins/admin/errors.js';
import { readByHandler, readQueryFields } from '../../plugins/admin/validation.js';
import { exportRefusals, exportSchema } from '../../schemas/records.js';

/**
 * `GET /admin/api/export?format=ndjson|csv[&raw_csv=1]&<filters>`: every matching record, streamed a page
 * of the store at a time as the client reads, so memory stays flat for any number of records.
 * Register it through `adminApi`, which puts it behind the admin token. The parameters are read
 * by the query API's parser (the schema describes them): bad ones are 400 with its messages.
 * CSV cells that a spreadsheet would run as formulas are neutralised unless `raw_csv=1`.
 */
export function adminExportRoute(admin: FastifyInstance, telemetry: TelemetryStore, maxReportAgeDays: number): void {
  const options = { schema: exportSchema, config: { adminRefusals: exportRefusals }, preValidation: readQueryFields, validatorCompiler: readByHandler };
  admin.get<{ Querystring: Record<string, unknown> }>('/export', options, async (request, reply) => {
    const parsed = parseExportRequest(request.query, maxReportAgeDays);
    if (!parsed.ok) throw new InputError('querystring', parsed.errors);
    const lines = exportLines(telemetry, parsed.filter, parsed.format, parsed.afterId, parsed.csvMode);
    return reply
      .type(EXPORT_CONTENT_TYPES[parsed.format])
      .header('content-disposition', `attachment; filename="tally-export.${parsed.format}"`)
      .send(Readable.from(inChunks(lines)));
  });
}
