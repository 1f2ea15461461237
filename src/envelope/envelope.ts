import { sign as cryptoSign } from 'node:crypto';
import { responseBody, type Reply } from './codes.js';
import { SignatureCache } from './signature-cache.js';
import type { SigningKey } from './signing-key.js';

/** Which key signed an answer, as the published API names it. */
export type KeyUsed = 'global' | 'product';

/**
 * The one module that turns a Reply into the signed envelope of CONTRACT §2, so no route can
 * forget the signature. `response_base64` encodes the exact bytes that were signed.
 */
export class EnvelopeSigner {
  private readonly cache: SignatureCache;

  constructor(
    private readonly key: SigningKey,
    private readonly keyUsed: KeyUsed = 'global',
    cacheEntries = 10_000,
  ) {
    this.cache = new SignatureCache(cacheEntries);
  }

  /** The envelope as a JSON string, ready to send. */
  async envelope(reply: Reply, nowMs = Date.now()): Promise<string> {
    const json = JSON.stringify(responseBody(reply, nowMs));
    return this.cache.get(json, nowMs, (payload) => this.signedEnvelope(payload));
  }

  private async signedEnvelope(json: string): Promise<string> {
    const signature = await this.sign(json);
    const base64 = Buffer.from(json, 'utf8').toString('base64');
    return `{"response":${json},"response_base64":"${base64}","private_key_used":"${this.keyUsed}","signature":"${signature}"}`;
  }

  get cacheStats(): { hits: number; misses: number } {
    return { hits: this.cache.hits, misses: this.cache.misses };
  }

  /** Signs on libuv's thread pool (the callback form), keeping the event loop free. */
  private sign(payload: string): Promise<string> {
    const algorithm = this.key.algorithm === 'ed25519' ? null : 'sha256';
    return new Promise((resolve, reject) => {
      cryptoSign(algorithm, Buffer.from(payload, 'utf8'), this.key.privateKey, (error, signature) => {
        if (error) reject(error);
        else resolve(signature.toString('base64'));
      });
    });
  }
}
