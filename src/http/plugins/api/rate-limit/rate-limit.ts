import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../../config/config.js';
import { apiKeyFromRequest } from '../../../body/api-key-from-request.js';
import type { Reply } from '../../../../model/codes.js';
import { queryFields } from '../../../body/urlencoded.js';
import { createRateCounters } from './rate-counter.js';
import type { WindowHit } from './window-counter.js';

/**
 * Counts a request against its API key when the key came only in the body (read after
 * onRequest); answers 104 and returns true when that puts the key over its limit.
 */
export type BodyKeyLimit = (request: FastifyRequest, reply: FastifyReply, apiKey: string | null) => Promise<boolean>;

/** What the onRequest hook already counted for a request: the key (if any) and the tightest hit. */
interface Counted {
  key: string | null;
  tightest: WindowHit | null;
}

const RATE_LIMITED_PREFIX = '/api/v1/';

/**
 * In-process rate limits for `/api/v1/*` (code 104, HTTP 429): every request counts against
 * its client IP (`request.ip`, which honours trusted proxies), and a request that presents an
 * API key (Bearer header or `api_key` in the query) against that key too. A key sent only in
 * the body is counted by the route through the returned BodyKeyLimit. Every answer carries
 * X-RateLimit-Limit/Remaining/Reset of the tightest limit it was counted against. A limit of
 * 0 switches that counter off. Counts are per process, or shared by every instance through
 * Redis when `redisUrl` is set (see rate-counter.ts). `refuse` sends the signed 104 (signed-reply.ts).
 */
export function registerRateLimit(app: FastifyInstance, config: Config, refuse: (reply: FastifyReply, answer: Reply) => Promise<FastifyReply>): BodyKeyLimit {
  const { perIp, perKey, ready, close } = createRateCounters(config, app.log);
  app.addHook('onReady', ready);
  app.addHook('onClose', close);
  const counted = new WeakMap<FastifyRequest, Counted>();

  const answer = (reply: FastifyReply, hit: WindowHit | null): Promise<FastifyReply> | null => {
    if (hit === null) return null;
    const resetSeconds = String(Math.max(1, Math.ceil(hit.resetMs / 1000)));
    reply.headers({ 'x-ratelimit-limit': String(hit.limit), 'x-ratelimit-remaining': String(hit.remaining), 'x-ratelimit-reset': resetSeconds });
    if (hit.allowed) return null;
    return refuse(reply, { code: 104, headers: { 'retry-after': resetSeconds } });
  };

  if (perIp !== null || perKey !== null) {
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith(RATE_LIMITED_PREFIX)) return undefined;
      const key = perKey === null ? null : presentedKey(request);
      // Both counted at once: with Redis they go out in one pipelined round trip.
      const [ipHit, keyHit] = await Promise.all([
        perIp === null ? null : perIp.hit(request.ip),
        key === null || perKey === null ? null : perKey.hit(key),
      ]);
      const tightest = tighter(ipHit, keyHit);
      counted.set(request, { key, tightest });
      return (await answer(reply, tightest)) ?? undefined;
    });
  }

  return async (request, reply, apiKey) => {
    if (perKey === null || !apiKey || !request.url.startsWith(RATE_LIMITED_PREFIX)) return false;
    const before = counted.get(request);
    if (before?.key === apiKey) return false;
    const sent = answer(reply, tighter(before?.tightest ?? null, await perKey.hit(apiKey)));
    if (sent === null) return false;
    await sent;
    return true;
  };
}

/** The key in the Bearer header or the query string (the body is not read yet); null when none. */
function presentedKey(request: FastifyRequest): string | null {
  let query: Record<string, unknown> = {};
  try {
    if (request.url.includes('?')) query = queryFields(request.url);
  } catch {
    // A malformed query string is answered 400 by the route; the IP was counted already.
  }
  return apiKeyFromRequest(request, query) || null;
}

/** The hit with fewer remaining (an over-the-limit hit first); null when neither counted. */
function tighter(a: WindowHit | null, b: WindowHit | null): WindowHit | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.allowed !== b.allowed) return a.allowed ? b : a;
  return a.remaining <= b.remaining ? a : b;
}
