import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyFromRequest } from '../../../body/api-key-from-request.js';
import { queryFields } from '../../../body/urlencoded.js';
import { API_PREFIXES } from '../api-paths.js';
import type { Counters } from './rate-counter.js';
import type { WindowHit } from './window-counter.js';

/** Sends the signed 104 with `Retry-After` for a wait of `waitMs`. */
export type RefuseFor = (reply: FastifyReply, waitMs: number) => Promise<FastifyReply>;

/**
 * Counts a key sent only in the body (read after onRequest) against the per-key and
 * per-key-and-IP limits; answers 104 and returns true when that puts it over one.
 */
export type BodyKeyLimit = (request: FastifyRequest, reply: FastifyReply, apiKey: string | null) => Promise<boolean>;

/** What the onRequest hook already counted for a request: the key (if any) and the tightest hit. */
interface Counted {
  key: string | null;
  tightest: WindowHit | null;
}

/**
 * The limits an operator sets on requests, valid or not (all off by default): every request
 * under an API prefix counts against its client IP (`request.ip`, which honours trusted
 * proxies), and a request that presents an API key against that key and against that key from
 * that IP. A key in the Bearer header or the query string is counted here in onRequest; a key
 * sent only in the body through the returned BodyKeyLimit, before authentication. Every counted
 * answer carries X-RateLimit-Limit/Remaining/Reset of the tightest limit it was counted against.
 */
export function registerOperatorLimits(app: FastifyInstance, counters: Counters, refuseFor: RefuseFor): BodyKeyLimit {
  const { perIp, perKey, perKeyAndIp } = counters;
  const counted = new WeakMap<FastifyRequest, Counted>();

  const answer = (reply: FastifyReply, hit: WindowHit | null): Promise<FastifyReply> | null => {
    if (hit === null) return null;
    const resetSeconds = String(Math.max(1, Math.ceil(hit.resetMs / 1000)));
    reply.headers({ 'x-ratelimit-limit': String(hit.limit), 'x-ratelimit-remaining': String(hit.remaining), 'x-ratelimit-reset': resetSeconds });
    return hit.allowed ? null : refuseFor(reply, hit.resetMs);
  };
  // Both of a key's counts at once: with Redis they go out in one pipelined round trip.
  const countKey = async (ip: string, key: string | null): Promise<WindowHit | null> => {
    if (key === null) return null;
    const [keyHit, pairHit] = await Promise.all([perKey?.hit(key) ?? null, perKeyAndIp?.hit(`${key}\u0000${ip}`) ?? null]);
    return tighter(keyHit, pairHit);
  };
  const countsKeys = perKey !== null || perKeyAndIp !== null;

  if (perIp !== null || countsKeys) {
    app.addHook('onRequest', async (request, reply) => {
      if (!isLimitedUrl(request.url)) return undefined;
      const key = countsKeys ? presentedKey(request) : null;
      const [ipHit, keyHit] = await Promise.all([perIp?.hit(request.ip) ?? null, countKey(request.ip, key)]);
      const tightest = tighter(ipHit, keyHit);
      counted.set(request, { key, tightest });
      return (await answer(reply, tightest)) ?? undefined;
    });
  }

  return async (request, reply, apiKey) => {
    if (!countsKeys || !apiKey || !isLimitedUrl(request.url)) return false;
    const before = counted.get(request);
    if (before?.key === apiKey) return false;
    const sent = answer(reply, tighter(before?.tightest ?? null, await countKey(request.ip, apiKey)));
    if (sent === null) return false;
    await sent;
    return true;
  };
}

/** Under one of the public API's prefixes (`/api/v1/`, `/v1/`). */
function isLimitedUrl(url: string): boolean {
  return API_PREFIXES.some((prefix) => url.startsWith(prefix));
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
