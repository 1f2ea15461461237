import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config/config.js';
import { ipGroup } from '../../../model/ip-group.js';
import { FailureCounter } from './failure-counter.js';

/**
 * Throttles guessing of the admin token: failed admin authentications (a wrong Bearer token on
 * the admin API, a wrong token posted to /login) are counted per client IP, and past
 * `adminAuthFailuresPerIp` in a window that IP's token attempts are answered 429 with
 * Retry-After, before the token is looked at, until the window ends (docs/security.md). "Per IP"
 * as for the API's limits: an IPv6 client with its whole `rateLimitIpv6Prefix` network.
 */
export class AdminAuthThrottle {
  readonly #failures: FailureCounter;
  readonly #v6PrefixBits: number;

  constructor(config: Pick<Config, 'adminAuthFailuresPerIp' | 'adminAuthWindowMs' | 'rateLimitIpv6Prefix'>) {
    this.#failures = new FailureCounter({ limit: config.adminAuthFailuresPerIp, windowMs: config.adminAuthWindowMs });
    this.#v6PrefixBits = config.rateLimitIpv6Prefix;
  }

  /** Answers 429 and returns the reply when the request's IP is throttled; otherwise null. */
  refuseIfThrottled(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
    const waitMs = this.#failures.waitMs(ipGroup(request.ip, this.#v6PrefixBits));
    if (waitMs <= 0) return null;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return reply
      .code(429)
      .header('retry-after', String(seconds))
      .send({ error: `Too many failed admin logins from this address; try again in ${seconds} s.` });
  }

  /** Counts a wrong admin token presented by the request's IP. */
  failed(request: FastifyRequest): void {
    this.#failures.fail(ipGroup(request.ip, this.#v6PrefixBits));
  }
}
