import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../../../model/registry.js';

/**
 * The rate limits around authentication, as the key check (api-key-check.ts) calls them;
 * made by registerRateLimit (rate-limit/rate-limit.ts). Each answers the signed 104 itself
 * and returns true when it did.
 */
export interface ApiLimits {
  /**
   * Before authentication, with the key the request presents (null when none): refuses a
   * cut-off client's request unless its key is usable.
   */
  beforeAuth(request: FastifyRequest, reply: FastifyReply, apiKey: string | null): Promise<boolean>;
  /** After a failed authentication (100–103): counts it, and answers 104 instead when the client is past its limit. */
  authFailed(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /**
   * After the key was accepted for the endpoint (the only requests that count against a key):
   * counts it against the operator's per-key and per-key-and-IP limits.
   */
  keyAccepted(request: FastifyRequest, reply: FastifyReply, key: ApiKey): Promise<boolean>;
}
