import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { ingestBatch } from '../../../ingest/ingest-batch.js';
import { authenticate } from '../../../registry/api-keys.js';
import { apiKeyFromRequest } from '../../body/api-key-from-request.js';
import { batchFormatOf, parseBatchBody } from '../../body/batch-body.js';
import { replyForError } from '../../plugins/error-reply.js';
import { sendEnvelope } from '../../plugins/signed-reply.js';
import { queryFields } from '../../body/urlencoded.js';
import type { AppDeps } from '../../app-deps.js';

export const BATCH_PATH = '/api/v1/send-telemetry-data-batch';

const UNSUPPORTED = 'Send application/json (an array of reports) or application/x-ndjson (one report per line).';

/**
 * `POST /api/v1/send-telemetry-data-batch` (docs/clients.md): many reports, one transaction, one
 * signed 840 answer. The key comes from `Authorization: Bearer` or `?api_key=` only (an item's
 * api_key is ignored). Registered in its own scope: the body is read as text up to
 * `batchBodyLimit` and parsed here, so a bad body gets a precise 400.
 */
export async function sendTelemetryBatchRoute(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const bodyLimit = deps.config.batchBodyLimit;
  const handler: RouteHandlerMethod = async (request, reply) => {
    const query = queryFields(request.url);
    const apiKey = apiKeyFromRequest(request, query);
    const auth = await authenticate(deps.registry, apiKey, request.ip, 'send_telemetry');
    if (!auth.ok) return sendEnvelope(reply, deps.signer, { code: auth.code });
    deps.keyUsage.record(auth.key.id);
    const format = batchFormatOf(request.headers['content-type']);
    if (format === null) return sendEnvelope(reply, deps.signer, { code: 415, fields: { errors: { body: [UNSUPPORTED] } } });
    const body = parseBatchBody(typeof request.body === 'string' ? request.body : undefined, format, deps.config.batchMaxReports);
    if (!body.ok) return sendEnvelope(reply, deps.signer, { code: 400, fields: { errors: { body: [body.error] } } });
    const ingestDeps = { registry: deps.registry, committer: deps.committer, blocklist: () => deps.blocklist.matcher() };
    const answer = await ingestBatch(ingestDeps, body.items, auth.key, request.ip);
    // Signed with the global key, or with the own key of the product that `?product_id=` names.
    return sendEnvelope(reply, deps.signer, answer, query);
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, text, done) => done(null, text));
    scope.setErrorHandler(async (error, request, reply) => {
      const answer = replyForError(error, bodyLimit);
      if (answer.code === 500) request.log.error({ err: error, reqId: request.id }, 'unexpected error');
      return sendEnvelope(reply, deps.signer, answer);
    });
    scope.post(BATCH_PATH, { bodyLimit }, handler);
  });
}
