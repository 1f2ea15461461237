import type { FastifyInstance } from 'fastify';
import { plainRecordBytes } from '../../../envelope/answer-budget.js';
import { recordPage } from '../../../query/record-page.js';
import type { TelemetryStore } from '../../../store/contract/store.js';
import { InputError } from '../../plugins/admin/errors.js';
import { readByHandler, readQueryFields } from '../../plugins/admin/validation.js';
import { recordsRefusals, recordsSchema } from '../../schemas/records.js';

/**
 * `GET /admin/api/records?<filters>&limit&after_id`: a page of records, filtered like
 * get-telemetry-data (CONTRACT §4) but over every product; `{records, next_after_id}`. The
 * filters are read by the query API's parser (the schema describes them). Register through
 * `adminApi`. A page stays within `maxAnswerBytes` (sized-page.ts), however many records `limit` asks.
 */
export function adminRecordsRoute(admin: FastifyInstance, telemetry: TelemetryStore, maxAnswerBytes: number, maxReportAgeDays: number): void {
  const maxRecordBytes = plainRecordBytes(maxAnswerBytes);
  const options = { schema: recordsSchema, config: { adminRefusals: recordsRefusals }, preValidation: readQueryFields, validatorCompiler: readByHandler };
  admin.get<{ Querystring: Record<string, unknown> }>('/records', options, async (request, reply) => {
    const outcome = await recordPage(telemetry, request.query, maxRecordBytes, maxReportAgeDays);
    if (!outcome.ok) throw new InputError('querystring', outcome.errors);
    return reply.header('cache-control', 'no-store').send({ records: outcome.records, next_after_id: outcome.next_after_id });
  });
}
