import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Capability } from '../../../model/registry.js';
import type { ApiKeyUsage } from '../../../registry/api-key-usage.js';
import { authenticate } from '../../../registry/api-keys.js';
import type { RegistryStore } from '../../../store/contract/store.js';
import { apiKeyFromRequest } from '../../body/api-key-from-request.js';
import { requestInput } from '../../body/request-input.js';
import { queryFields } from '../../body/urlencoded.js';
import type { ApiLimits } from './api-limits.js';
import type { SignedReplies } from './signed-reply.js';

/**
 * Where an endpoint's fields come from: the query string overlaid by the body (form, JSON or
 * multipart), or the query string alone (the batch endpoint, whose body is the reports).
 */
export type FieldSource = 'body-and-query' | 'query';

export interface ApiKeyCheckDeps {
  replies: SignedReplies;
  /** The registry as requests read it (cached). */
  registry: RegistryStore;
  keyUsage: ApiKeyUsage;
  /** The rate limits before and after authentication (rate-limit.ts). */
  limits: ApiLimits;
  /** The largest request body (a multipart body is read against it). */
  bodyLimit: number;
}

/**
 * The one request path of the public API before an endpoint runs: read the fields, then, when
 * the endpoint needs a key, take it (Bearer header, else `api_key` field), check it against the
 * failed-authentication cut-off, authenticate it with the capability (100–103; a failure is
 * counted against the client IP, and answered 104 past its limit), count the accepted key
 * against the operator's per-key limits, and note its use. A refusal is signed with the global
 * key. Sets `request.apiFields` and `request.apiKey` for the handler.
 */
export function apiKeyCheck(deps: ApiKeyCheckDeps, source: FieldSource, capability: Capability | null): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const fields = source === 'query' ? queryFields(request.url) : await requestInput(request, deps.bodyLimit);
    request.apiFields = fields;
    if (capability === null) return;
    const presented = apiKeyFromRequest(request, fields);
    if (await deps.limits.beforeAuth(request, reply, presented)) return reply;
    const auth = await authenticate(deps.registry, presented, request.ip, capability);
    if (!auth.ok) return (await deps.limits.authFailed(request, reply)) ? reply : deps.replies.refuse(reply, { code: auth.code });
    deps.keyUsage.record(auth.key.id);
    // Set first, so that a 104 is signed in the scheme the key pins.
    request.apiKey = auth.key;
    if (await deps.limits.keyAccepted(request, reply, auth.key)) return reply;
  };
}
