import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { getTelemetry } from '../../../query/get-telemetry.js';
import { authenticate } from '../../../registry/api-keys.js';
import { apiKeyFromRequest } from '../../body/api-key-from-request.js';
import type { BodyKeyLimit } from '../../plugins/rate-limit/rate-limit.js';
import { requestInput } from '../../body/request-input.js';
import { sendEnvelope } from '../../plugins/signed-reply.js';
import type { AppDeps } from '../../app-deps.js';

/** Every path the published API and its examples use for retrieval. */
const PATHS = ['/api/v1/get-telemetry-data', '/api/v1/get-telemetry', '/api/v1/get-telemetry-date'];

/**
 * `GET /api/v1/get-telemetry-data` and a form POST to it (CONTRACT §4). Also answers at
 * `get-telemetry`, the name the published docs use, and `get-telemetry-date`, the spelling of
 * the published examples, so clients built from either work unchanged.
 */
export function getTelemetryRoute(app: FastifyInstance, deps: AppDeps, limitBodyKey: BodyKeyLimit): void {
  const handler: RouteHandlerMethod = async (request, reply) => {
    const input = await requestInput(request, deps.config.bodyLimit);
    const apiKey = apiKeyFromRequest(request, input);
    if (await limitBodyKey(request, reply, apiKey)) return reply;
    const auth = await authenticate(deps.registry, apiKey, request.ip, 'get_telemetry');
    if (!auth.ok) return sendEnvelope(reply, deps.signer, { code: auth.code });
    deps.keyUsage.record(auth.key.id);
    // A blocked IP reads nothing (docs/security.md, "Blocklist"); nothing is stored for a query.
    if ((await deps.blocklist.matcher()).blocksReader(request.ip, auth.key.products)) return sendEnvelope(reply, deps.signer, { code: 150 }, input);
    return sendEnvelope(reply, deps.signer, await getTelemetry(deps.store.telemetry, input, auth.key), input);
  };
  for (const path of PATHS) {
    app.get(path, handler);
    app.post(path, handler);
  }
}
