import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { ingestReport } from '../../../ingest/ingest-report.js';
import { authenticate } from '../../../registry/api-keys.js';
import { apiKeyFromRequest } from '../../body/api-key-from-request.js';
import type { BodyKeyLimit } from '../../plugins/rate-limit/rate-limit.js';
import { requestInput } from '../../body/request-input.js';
import { sendEnvelope } from '../../plugins/signed-reply.js';
import type { AppDeps } from '../../app-deps.js';

/**
 * `POST /api/v1/send-telemetry-data` (CONTRACT §3). Also answers at `send-telemetry-date`,
 * the spelling the published request examples use, so clients built from them work unchanged.
 */
export function sendTelemetryRoute(app: FastifyInstance, deps: AppDeps, limitBodyKey: BodyKeyLimit): void {
  const handler: RouteHandlerMethod = async (request, reply) => {
    const input = await requestInput(request, deps.config.bodyLimit);
    const apiKey = apiKeyFromRequest(request, input);
    if (await limitBodyKey(request, reply, apiKey)) return reply;
    const auth = await authenticate(deps.registry, apiKey, request.ip, 'send_telemetry');
    if (!auth.ok) return sendEnvelope(reply, deps.signer, { code: auth.code });
    deps.keyUsage.record(auth.key.id);
    const answer = await ingestReport({ registry: deps.registry, committer: deps.committer, blocklist: () => deps.blocklist.matcher() }, input, auth.key, request.ip);
    return sendEnvelope(reply, deps.signer, answer, input);
  };
  app.post('/api/v1/send-telemetry-data', handler);
  app.post('/api/v1/send-telemetry-date', handler);
}
