import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { ingestBatch } from '../../../ingest/ingest-batch.js';
import type { IngestDeps } from '../../../ingest/ingest-report.js';
import { batchFormatOf, parseBatchBody } from '../../body/batch-body.js';
import { apiPaths } from '../../plugins/api/api-paths.js';
import type { ApiRoutes } from '../../plugins/api/api-routes.js';
import { sendTelemetryBatchDocs } from '../../schemas/api-operations.js';
import type { SignedReplies } from '../../plugins/api/signed-reply.js';


const UNSUPPORTED = 'Send application/json (an array of reports) or application/x-ndjson (one report per line).';

export interface BatchLimits {
  /** Largest body in bytes (HTTP 413 past it). */
  bodyLimit: number;
  /** Most reports in one request (400, nothing stored, past it). */
  maxReports: number;
}

/**
 * `POST /api/v1/send-telemetry-data-batch` (docs/clients.md): many reports, one transaction, one
 * signed 840 answer. The key comes from `Authorization: Bearer` or `?api_key=` only (an item's
 * api_key is ignored), and the answer is signed for the product `?product_id=` names. Registered
 * in its own scope: the body is read as text up to `bodyLimit` and parsed after the key check,
 * so a bad body gets a precise 400 (415 for another media type), signed with the global key.
 */
export function sendTelemetryBatchRoute(routes: ApiRoutes, ingest: IngestDeps, replies: SignedReplies, limits: BatchLimits): void {
  const items = new WeakMap<FastifyRequest, unknown[]>();
  const readBody: preHandlerAsyncHookHandler = async (request, reply) => {
    const format = batchFormatOf(request.headers['content-type']);
    if (format === null) return replies.refuse(reply, { code: 415, fields: { errors: { body: [UNSUPPORTED] } } });
    const body = parseBatchBody(typeof request.body === 'string' ? request.body : undefined, format, limits.maxReports);
    if (!body.ok) return replies.refuse(reply, { code: 400, fields: { errors: { body: [body.error] } } });
    items.set(request, body.items);
    return undefined;
  };
  routes.scope((scope, scoped) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: limits.bodyLimit }, (_request, text, done) => done(null, text));
    scoped.add({
      methods: ['POST'],
      paths: apiPaths('send-telemetry-data-batch'),
      fields: 'query',
      capability: 'send_telemetry',
      docs: sendTelemetryBatchDocs,
      bodyLimit: limits.bodyLimit,
      preHandler: readBody,
      handler: ({ request, key }) => ingestBatch(ingest, items.get(request) ?? [], key, request.ip),
    });
  });
}
