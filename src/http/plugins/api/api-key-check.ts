import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Reply } from '../../../model/codes.js';
import type { ApiKey, Capability } from '../../../model/registry.js';
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

/** What accepting a request's API key needs, whichever path the request took. */
export interface KeyAcceptanceDeps {
  /** The registry as requests read it (cached). */
  registry: RegistryStore;
  keyUsage: ApiKeyUsage;
  /** The rate limits before and after authentication (rate-limit.ts). */
  limits: ApiLimits;
}

export interface ApiKeyCheckDeps extends KeyAcceptanceDeps {
  replies: SignedReplies;
  /** The largest request body (a multipart body is read against it). */
  bodyLimit: number;
}

/** The key a request may use, or the refusal it gets (signed with the global key). */
export type KeyAcceptance = { ok: true; key: ApiKey } | { ok: false; refusal: Reply };

/**
 * The one check of a presented API key, for the Fastify routes and the ingest lane alike: the
 * failed-authentication cut-off of the client group, then authentication with the capability
 * (100–103; a failure is counted against the client group, and answered 104 past its limit),
 * then the key's use is noted. The operator's per-key limits are not counted here (keyAccepted).
 */
export async function acceptApiKey(deps: KeyAcceptanceDeps, presented: string | null, ip: string, capability: Capability): Promise<KeyAcceptance> {
  const client = deps.limits.clientOf(ip);
  const cutOff = await deps.limits.beforeAuth(client, presented);
  if (cutOff !== null) return { ok: false, refusal: cutOff };
  const auth = await authenticate(deps.registry, presented, ip, capability);
  if (!auth.ok) return { ok: false, refusal: (await deps.limits.authFailed(client)) ?? { code: auth.code } };
  deps.keyUsage.record(auth.key.id);
  return { ok: true, key: auth.key };
}

/**
 * The one request path of the public API before an endpoint runs, under Fastify: read the
 * fields, then, when the endpoint needs a key, take it (Bearer header, else `api_key` field),
 * accept it (acceptApiKey) and count it against the operator's per-key limits. A refusal is
 * signed with the global key. Sets `request.apiFields` and `request.apiKey` for the handler.
 */
export function apiKeyCheck(deps: ApiKeyCheckDeps, source: FieldSource, capability: Capability | null): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const fields = source === 'query' ? queryFields(request.url) : await requestInput(request, deps.bodyLimit);
    request.apiFields = fields;
    if (capability === null) return;
    const accepted = await acceptApiKey(deps, apiKeyFromRequest(request.headers.authorization, fields), request.ip, capability);
    if (!accepted.ok) return deps.replies.refuse(reply, accepted.refusal);
    // Set first, so that a 104 is signed in the scheme the key pins.
    request.apiKey = accepted.key;
    if (await deps.limits.keyAccepted(request, reply, accepted.key)) return reply;
  };
}
