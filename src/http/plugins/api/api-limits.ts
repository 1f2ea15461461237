import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The rate limits around authentication, as the key check (api-key-check.ts) calls them;
 * made by registerRateLimit (rate-limit/rate-limit.ts). Each answers the signed 104 itself
 * and returns true when it did.
 */
export interface ApiLimits {
  /**
   * Before authentication, with the key the request presents (null when none): refuses a
   * cut-off IP's request unless its key is usable, then counts a key sent only in the body
   * against the operator's per-key limits.
   */
  beforeAuth(request: FastifyRequest, reply: FastifyReply, apiKey: string | null): Promise<boolean>;
  /** After a failed authentication (100–103): counts it, and answers 104 instead when the IP is past its limit. */
  authFailed(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}
