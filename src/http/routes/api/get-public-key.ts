import { publicKeyAnswer } from '../../../envelope/public-key-answer.js';
import type { SigningAlgorithm } from '../../../envelope/signing-key.js';
import type { SecretStore } from '../../../store/contract/store.js';
import { apiPaths } from '../../plugins/api/api-paths.js';
import type { ApiRoutes } from '../../plugins/api/api-routes.js';
import { getPublicKeyDocs } from '../../schemas/api-operations.js';

/**
 * `GET /api/v1/get-public-key` and a POST to it: the public key that verifies Tally's signed
 * answers, with its algorithm and key id. A public key is public, so no API key is required;
 * an `api_key` that is sent is ignored, never checked, so this endpoint cannot be used to
 * learn whether a key is valid. An optional `product_id` selects that product's own keys when
 * it has them, else the global keys; the answer is signed with the key it names as current.
 */
export function getPublicKeyRoute(routes: ApiRoutes, secrets: SecretStore, defaultAlgorithm: SigningAlgorithm): void {
  routes.add({
    methods: ['GET', 'POST'],
    paths: apiPaths('get-public-key'),
    fields: 'body-and-query',
    capability: null,
    docs: getPublicKeyDocs,
    handler: ({ fields }) => publicKeyAnswer(secrets, fields, defaultAlgorithm),
  });
}
