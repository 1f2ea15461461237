import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { publicKeyAnswer } from '../../../envelope/public-key-answer.js';
import { requestInput } from '../../body/request-input.js';
import { sendEnvelope } from '../../plugins/signed-reply.js';
import type { AppDeps } from '../../app-deps.js';

const PATH = '/api/v1/get-public-key';

/**
 * `GET /api/v1/get-public-key` and a POST to it: the public key that verifies Tally's signed
 * answers, with its algorithm and key id. A public key is public, so no API key is required;
 * an `api_key` that is sent is ignored, never checked, so this endpoint cannot be used to
 * learn whether a key is valid. An optional `product_id` selects that product's own keys when
 * it has them, else the global keys; the answer is signed with the key it names as current.
 */
export function getPublicKeyRoute(app: FastifyInstance, deps: AppDeps): void {
  const handler: RouteHandlerMethod = async (request, reply) => {
    const input = await requestInput(request, deps.config.bodyLimit);
    return sendEnvelope(reply, deps.signer, await publicKeyAnswer(deps.store.secrets, input, deps.config.signingAlgorithm), input);
  };
  app.get(PATH, handler);
  app.post(PATH, handler);
}
