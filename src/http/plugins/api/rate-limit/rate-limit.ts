import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../../config/config.js';
import type { Reply } from '../../../../model/codes.js';
import { ipGroup } from '../../../../model/ip-group.js';
import { boundedMemo } from '../../../../model/bounded-memo.js';
import type { HeldRateLimitState } from '../../../../observability/metrics.js';
import type { RegistryStore } from '../../../../store/contract/store.js';
import type { ApiLimits } from '../api-limits.js';
import { FailedAuthLimit } from './failed-auth.js';
import { registerOperatorLimits, type ClientOf, type RefuseFor } from './operator-limits.js';
import { createRateCounters, type Counters } from './rate-counter.js';
import { UsableKeys } from './usable-keys.js';

/** The rate limits the key check calls, and what their state holds in this process (for metrics). */
export interface RateLimits extends ApiLimits {
  held(): HeldRateLimitState[];
}

/**
 * The rate limits of the public API (code 104, HTTP 429, `Retry-After`; docs/security.md):
 * the operator's limits per client IP, per API key and per key and IP, off by default
 * (operator-limits.ts), and the limit on failed authentication per client IP, on by default
 * (failed-auth.ts), so a fleet's reports are never refused while key guessing is. A limit of 0
 * switches it off. An IPv6 client is limited with its whole `rateLimitIpv6Prefix` network
 * (ipGroup). Counts are per process, or shared by every instance through Redis when
 * `redisUrl` is set (rate-counter.ts). `refuse` sends the signed 104 (signed-reply.ts).
 */
export function registerRateLimit(
  app: FastifyInstance,
  config: Config,
  registry: Pick<RegistryStore, 'listApiKeys'>,
  refuse: (reply: FastifyReply, answer: Reply) => Promise<FastifyReply>,
): RateLimits {
  const counters = createRateCounters(config, app.log);
  app.addHook('onReady', counters.ready);
  app.addHook('onClose', counters.close);
  const refuseFor: RefuseFor = (reply, waitMs) => refuse(reply, { code: 104, headers: { 'retry-after': retryAfter(waitMs) } });
  // Remembered per address: the group parses the address (BigInt arithmetic for IPv6) on every API request otherwise.
  const groupOf = boundedMemo((ip) => ipGroup(ip, config.rateLimitIpv6Prefix));
  const clientOf: ClientOf = (request: FastifyRequest) => groupOf(request.ip);
  const keyLimit = registerOperatorLimits(app, counters, clientOf, refuseFor);
  // Keys made since the last read are recognised within the registry cache's time (at least 1 s).
  const usableKeys = new UsableKeys(() => registry.listApiKeys(), Math.max(1000, config.registryCacheMs));
  const failedAuth = counters.failedAuth === null ? null : new FailedAuthLimit(counters.failedAuth, usableKeys);

  const refused = async (reply: FastifyReply, waitMs: number | null): Promise<boolean> => {
    if (waitMs === null) return false;
    await refuseFor(reply, waitMs);
    return true;
  };
  return {
    beforeAuth: async (request, reply, apiKey) => refused(reply, (await failedAuth?.refusal(clientOf(request), apiKey)) ?? null),
    authFailed: async (request, reply) => refused(reply, (await failedAuth?.failed(clientOf(request))) ?? null),
    keyAccepted: keyLimit,
    held: () => heldState(counters, failedAuth),
  };
}

const COUNTER_NAMES = ['perIp', 'perKey', 'perKeyAndIp', 'failedAuth'] as const satisfies readonly (keyof Counters)[];

/** What every piece of per-client rate-limit state holds now, by name. */
function heldState(counters: Counters, failedAuth: FailedAuthLimit | null): HeldRateLimitState[] {
  const held: HeldRateLimitState[] = [];
  for (const name of COUNTER_NAMES) {
    const counter = counters[name];
    if (counter !== null) held.push({ name, ...counter.held() });
  }
  if (failedAuth !== null) held.push({ name: 'cutOff', ...failedAuth.held() });
  return held;
}

/** Whole seconds until `waitMs` has passed, at least 1. */
function retryAfter(waitMs: number): string {
  return String(Math.max(1, Math.ceil(waitMs / 1000)));
}
