import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../../../../model/registry.js';
import { isApiRequest } from '../api-request.js';
import type { Counters } from './rate-counter.js';
import type { WindowHit } from './window-counter.js';

/** Sends the signed 104 with `Retry-After` for a wait of `waitMs`. */
export type RefuseFor = (reply: FastifyReply, waitMs: number) => Promise<FastifyReply>;

/** The client group of a request (ipGroup of its IP): what per-IP limits count. */
export type ClientOf = (request: FastifyRequest) => string;

/**
 * After authentication, with the key that was accepted for the endpoint: counts the request
 * against that key's limits; answers 104 and returns true when that puts it over one.
 */
export type KeyLimit = (request: FastifyRequest, reply: FastifyReply, key: ApiKey) => Promise<boolean>;

/**
 * The limits an operator sets on requests (all off by default). Every request to a route of the
 * public API (known by the route that matched, api-request.ts) counts against its client group
 * (`request.ip`, which honours trusted proxies, grouped by ipGroup), in onRequest. Only a request
 * its key may make (authenticated, capability and address checked) counts against that key and
 * against that key from that client group, through the returned KeyLimit: a request refused
 * before, or a guessed, shared-but-wrong-endpoint or overlong key, never uses up a key's budget
 * nor adds state. Every counted answer carries X-RateLimit-Limit/Remaining/Reset of the tightest
 * limit it was counted against.
 */
export function registerOperatorLimits(app: FastifyInstance, counters: Counters, clientOf: ClientOf, refuseFor: RefuseFor): KeyLimit {
  const { perIp, perKey, perKeyAndIp } = counters;
  const ipHits = new WeakMap<FastifyRequest, WindowHit>();

  const answer = (reply: FastifyReply, hit: WindowHit | null): Promise<FastifyReply> | null => {
    if (hit === null) return null;
    const resetSeconds = String(Math.max(1, Math.ceil(hit.resetMs / 1000)));
    reply.headers({ 'x-ratelimit-limit': String(hit.limit), 'x-ratelimit-remaining': String(hit.remaining), 'x-ratelimit-reset': resetSeconds });
    return hit.allowed ? null : refuseFor(reply, hit.resetMs);
  };

  if (perIp !== null) {
    app.addHook('onRequest', async (request, reply) => {
      if (!isApiRequest(request)) return undefined;
      const hit = await perIp.hit(clientOf(request));
      ipHits.set(request, hit);
      return (await answer(reply, hit)) ?? undefined;
    });
  }

  return async (request, reply, key) => {
    if (perKey === null && perKeyAndIp === null) return false;
    // Key ids, not secrets: an accepted key's id is short and names it across instances.
    const id = String(key.id);
    // Both counts at once: with Redis they go out in one pipelined round trip.
    const [keyHit, pairHit] = await Promise.all([perKey?.hit(id) ?? null, perKeyAndIp?.hit(`${id} ${clientOf(request)}`) ?? null]);
    const sent = answer(reply, tighter(ipHits.get(request) ?? null, tighter(keyHit, pairHit)));
    if (sent === null) return false;
    await sent;
    return true;
  };
}

/** The hit with fewer remaining (an over-the-limit hit first); null when neither counted. */
function tighter(a: WindowHit | null, b: WindowHit | null): WindowHit | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.allowed !== b.allowed) return a.allowed ? b : a;
  return a.remaining <= b.remaining ? a : b;
}
