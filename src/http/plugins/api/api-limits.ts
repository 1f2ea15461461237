import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Reply } from '../../../model/codes.js';
import type { ApiKey } from '../../../model/registry.js';

/**
 * The rate limits around authentication, as the key check (api-key-check.ts) calls them;
 * made by registerRateLimit (rate-limit/rate-limit.ts). `client` is a request's client group
 * (`clientOf` its address). The limits on failed authentication return the signed 104's Reply
 * when they refuse (null: go on); the operator's limits answer it themselves.
 */
export interface ApiLimits {
  /** The client group a request from `ip` counts against (ipGroup). */
  clientOf(ip: string): string;
  /**
   * Before authentication, with the key the request presents (null when none): refuses a
   * cut-off client's request unless its key is usable.
   */
  beforeAuth(client: string, apiKey: string | null): Promise<Reply | null>;
  /** After a failed authentication (100–103): counts it, and refuses with 104 instead when the client is past its limit. */
  authFailed(client: string): Promise<Reply | null>;
  /**
   * Whether any of the operator's limits (per IP, per key, per key and IP) is on. They set
   * X-RateLimit headers on every counted answer and count in Fastify's hooks, so requests take
   * the framework's path while one is: app.ts makes no ingest lane (docs/decisions/0047-ingest-lane.md).
   */
  readonly operatorLimits: boolean;
  /**
   * After the key was accepted for the endpoint (the only requests that count against a key):
   * counts it against the operator's per-key and per-key-and-IP limits; answers 104 itself and
   * returns true when that puts it over one.
   */
  keyAccepted(request: FastifyRequest, reply: FastifyReply, key: ApiKey): Promise<boolean>;
}
