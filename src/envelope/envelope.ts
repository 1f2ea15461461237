import { sign as cryptoSign } from 'node:crypto';
import { CODES, isConstantReply, type Reply } from '../model/codes.js';
import type { ChosenKey, KeyRing } from './key-ring.js';
import { SignatureCache } from './signature-cache.js';
import { retryAfterFor, signedBytes, unsignedEnvelope, type SignatureScheme } from './signature-schemes.js';

export type { KeyUsed } from './key-ring.js';

/** A signed answer and the id of the key that signed it. */
export interface SignedEnvelope {
  body: string;
  keyId: string;
}

/**
 * The one module that turns a Reply into the signed envelope of CONTRACT §2, so no route can
 * forget the signature. `response_base64` encodes the exact bytes that were signed. The key is
 * the given product's own current key when it has one, else the global key (key-ring.ts); which
 * product may be given is decided by the caller (signing-product.ts).
 */
export class EnvelopeSigner {
  private readonly cache: SignatureCache;
  /** The last constant answer's signed content, reused while the same Reply object is answered in the same second, scheme and nonce (see `#content`). */
  #constant: ContentMemo | null = null;
  /** Another answer's, kept only from `signedAlready` to the `envelope` call that follows it. */
  #pending: ContentMemo | null = null;

  constructor(
    private readonly keys: KeyRing,
    cacheEntries = 10_000,
  ) {
    this.cache = new SignatureCache(cacheEntries);
  }

  /**
   * The envelope as a JSON string, ready to send, signed for `productId` (null: the global key)
   * over the bytes the client's `scheme` verifies (signature-schemes.ts). The response, and so
   * `response_base64`, is the same whatever the scheme. A request's `nonce` (null: none) goes
   * inside the response, so the cache below never hands one request's answer to another.
   */
  async envelope(
    reply: Reply,
    productId: number | null = null,
    nowMs = Date.now(),
    scheme: SignatureScheme = 'contract',
    nonce: string | null = null,
  ): Promise<SignedEnvelope> {
    const due = this.keys.refreshIfDue(nowMs);
    if (due) await due;
    const chosen = this.keys.choose(productId);
    const { json, retryAfter, cacheKey } = this.#content(reply, nowMs, scheme, nonce);
    this.#pending = null;
    const body = await this.cache.get(cacheKey, chosen.key.keyId, nowMs, () => signedEnvelope(chosen, json, scheme, retryAfter));
    return { body, keyId: chosen.key.keyId };
  }

  /**
   * `envelope`'s answer at once when the same envelope was signed with the same key within the
   * last second or two (the cache below), as most answers are; null when it must be signed (or
   * the keys are due to be read again): then call `envelope`.
   */
  signedAlready(reply: Reply, productId: number | null, nowMs: number, scheme: SignatureScheme, nonce: string | null): SignedEnvelope | null {
    if (this.keys.refreshIfDue(nowMs)) return null;
    const keyId = this.keys.choose(productId).key.keyId;
    const body = this.cache.signed(this.#content(reply, nowMs, scheme, nonce).cacheKey, keyId, nowMs);
    if (body === null) return null;
    this.#pending = null;
    return { body, keyId };
  }

  /**
   * signedContent, remembered: the ingest path answers with shared, frozen Reply objects
   * (constantReply; ingest-report.ts), so a burst of answers in one second reuses the JSON and cache
   * key instead of building them again for each. Any other Reply is a new object each time: it is
   * remembered apart, only from `signedAlready` to the `envelope` call that follows a miss, so its
   * JSON (up to a full page of telemetry) is built once and the constant one is not displaced.
   */
  #content(reply: Reply, nowMs: number, scheme: SignatureScheme, nonce: string | null): SignedContent {
    const second = Math.floor(nowMs / 1000);
    const constant = isConstantReply(reply);
    const memo = constant ? this.#constant : this.#pending;
    if (memo !== null && memo.reply === reply && memo.second === second && memo.scheme === scheme && memo.nonce === nonce) return memo.content;
    const content = signedContent(reply, nowMs, scheme, nonce);
    if (constant) this.#constant = { reply, second, scheme, nonce, content };
    else this.#pending = { reply, second, scheme, nonce, content };
    return content;
  }

  get cacheStats(): { hits: number; misses: number } {
    return { hits: this.cache.hits, misses: this.cache.misses };
  }
}

/**
 * The response as JSON, the envelope's retry_after, and the key the cache keeps the envelope
 * under: what the envelope holds besides the response (the scheme, a 429's retry_after) and,
 * in the cache, the key id: an envelope is only ever reused for the same client and key.
 */
interface SignedContent {
  json: string;
  retryAfter: number | null;
  cacheKey: string;
}

/** One answer's signed content, and what it was built for. */
interface ContentMemo {
  reply: Reply;
  second: number;
  scheme: SignatureScheme;
  nonce: string | null;
  content: SignedContent;
}

function signedContent(reply: Reply, nowMs: number, scheme: SignatureScheme, nonce: string | null): SignedContent {
  const json = JSON.stringify(responseBody(reply, nowMs, nonce));
  const retryAfter = retryAfterFor(scheme, reply);
  const cacheKey = scheme === 'contract' && retryAfter === null ? json : `${scheme}\u0000${String(retryAfter)}\u0000${json}`;
  return { json, retryAfter, cacheKey };
}

async function signedEnvelope(chosen: ChosenKey, json: string, scheme: SignatureScheme, retryAfter: number | null): Promise<string> {
  const unsigned = unsignedEnvelope(json, Buffer.from(json, 'utf8').toString('base64'), chosen.used, retryAfter);
  const signature = await sign(chosen, signedBytes(scheme, json, `${unsigned}}`));
  return `${unsigned},"signature":"${signature}"}`;
}

/** Signs on libuv's thread pool (the callback form), keeping the event loop free. Ed25519 takes no digest. */
function sign(chosen: ChosenKey, payload: string): Promise<string> {
  const algorithm = chosen.key.algorithm === 'ed25519' ? null : 'sha256';
  return new Promise((resolve, reject) => {
    cryptoSign(algorithm, Buffer.from(payload, 'utf8'), chosen.key.privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(signature.toString('base64'));
    });
  });
}

/**
 * The `response` object in wire order: code, message, the endpoint's fields, the request's nonce
 * when it sent one (CONTRACT §2; without one the response is exactly as published), timestamp
 * (Unix seconds).
 */
export function responseBody(reply: Reply, nowMs: number, nonce: string | null = null): Record<string, unknown> {
  const timestamp = Math.floor(nowMs / 1000);
  if (nonce === null) return { code: reply.code, message: CODES[reply.code].message, ...reply.fields, timestamp };
  return { code: reply.code, message: CODES[reply.code].message, ...reply.fields, nonce, timestamp };
}
