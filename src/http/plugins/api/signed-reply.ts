import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EnvelopeSigner, SignedEnvelope } from '../../../envelope/envelope.js';
import { echoedNonce } from '../../../envelope/request-nonce.js';
import { signingProduct } from '../../../envelope/signing-product.js';
import type { SignatureScheme } from '../../../envelope/signature-schemes.js';
import { CODES, type Reply } from '../../../model/codes.js';

/** The fields of a request as an endpoint reads them (body and query string). */
export type Fields = Readonly<Record<string, unknown>>;

/** The User-Agent prefixes of the published SDKs, and the scheme each verifies (CONTRACT §5). */
const SDK_AGENTS: readonly (readonly [string, SignatureScheme])[] = [
  ['GetKeyManager-PHP-SDK/', 'getkeymanager-php'],
  ['GetKeyManager-JS-SDK/', 'getkeymanager-js'],
];

/**
 * The scheme an answer is signed with: the one the request's API key pins, else (`auto`) the
 * published SDK's named by the User-Agent, else `contract`. A refusal made before the key was
 * accepted has no key to read, so the User-Agent decides.
 */
export function schemeOf(request: FastifyRequest): SignatureScheme {
  const pinned = request.apiKey?.signature_scheme;
  if (pinned !== undefined && pinned !== 'auto') return pinned;
  const agent = request.headers['user-agent'];
  if (agent !== undefined) for (const [prefix, scheme] of SDK_AGENTS) if (agent.startsWith(prefix)) return scheme;
  return 'contract';
}

declare module 'fastify' {
  interface FastifyReply {
    /** The envelope code of the answer SignedReplies sent; 0 when none was (registerAnswerCodes). */
    answerCode: number;
  }
}

/**
 * Gives every reply its `answerCode`, 0 until a signed answer sets it; on the root app, before any
 * encapsulated plugin (Fastify copies reply decorators into a child scope when the scope is made,
 * so a scope registered earlier has none: `unsignedReplacement` then treats the answer as unsigned,
 * failing closed). A field of the reply rather than a WeakMap keyed by it: a WeakMap entry per request
 * costs V8's young-generation collector an ephemeron to clear, ~1 % of a single report's CPU.
 */
export function registerAnswerCodes(app: FastifyInstance): void {
  app.decorateReply('answerCode', 0);
}

/** The envelope code of an answer (for metrics and logs), or 0 when it was not a signed envelope. */
export function answerCodeOf(reply: FastifyReply): number {
  return reply.answerCode > 0 ? reply.answerCode : 0;
}

/**
 * The one place where an answer of the public API becomes the signed envelope of CONTRACT §2,
 * with the HTTP status its code maps to and `X-Tally-Key-Id` naming the key that signed it
 * (docs/security.md). Which key signs is decided here: an endpoint's answer is signed with the
 * own key of the product its fields name when the accepted API key may be used for that product
 * alone and the product has a key (signing-product.ts); a refusal made before the endpoint ran
 * (key check, rate limit, unreadable request, unknown path, shutdown) with the global key, since
 * nothing about the request can be trusted yet. Every answer to a request whose fields were read
 * echoes its usable `nonce` inside the signed response, refusals included.
 */
export class SignedReplies {
  readonly #signer: EnvelopeSigner;

  constructor(signer: EnvelopeSigner) {
    this.#signer = signer;
  }

  /**
   * An endpoint's answer, signed for the product that `fields` name when the request's key may
   * speak for it (null: the global key). Sent at once when the same envelope was signed a moment
   * ago (EnvelopeSigner.signedAlready), as most are; else once it is signed.
   */
  async answer(reply: FastifyReply, answer: Reply, fields: Fields | null): Promise<FastifyReply> {
    const signing = this.#signing(reply, fields);
    const signed = this.#signer.signedAlready(answer, signing.product, signing.nowMs, signing.scheme, signing.nonce);
    if (signed !== null) return reply.send(this.#sent(reply, answer, signed));
    return reply.send(await this.#signed(reply, answer, signing));
  }

  /** A refusal made before the endpoint ran, signed with the global key. */
  refuse(reply: FastifyReply, answer: Reply): Promise<FastifyReply> {
    return this.answer(reply, answer, null);
  }

  /**
   * Makes sure nothing under the public API leaves unsigned (answer-hooks.ts calls it on every
   * answer): an answer that did not come from `answer` or `refuse` (a route that bypassed them)
   * is logged and gets a signed 500 instead, the envelope returned here; null for every other answer.
   */
  unsignedReplacement(request: FastifyRequest, reply: FastifyReply, isApi: (request: FastifyRequest) => boolean): Promise<string> | null {
    // answerCodeOf, not `answerCode !== 0`: a reply without the decorator (undefined) counts as unsigned too.
    if (answerCodeOf(reply) !== 0 || !isApi(request)) return null;
    request.log.error({ reqId: request.id, url: request.url.split('?')[0] }, 'an /api answer bypassed the signed reply; answered 500 instead');
    const answer: Reply = { code: 500 };
    return this.#signed(reply, answer, this.#signing(reply, null));
  }

  /** What an answer is signed with and for. The one place that chooses the key an answer is signed with. */
  #signing(reply: FastifyReply, fields: Fields | null): Signing {
    const request = reply.request;
    return {
      product: fields === null ? null : signingProduct(fields, request.apiKey),
      // apiFields is undefined outside the /api scope (a 404 elsewhere): no fields, no nonce.
      nonce: echoedNonce(request.apiFields),
      scheme: schemeOf(request),
      nowMs: Date.now(),
    };
  }

  /** Signs `answer` as `signing` says and sets the reply's status and headers for it; resolves to the envelope to send. */
  async #signed(reply: FastifyReply, answer: Reply, { product, nonce, scheme, nowMs }: Signing): Promise<string> {
    return this.#sent(reply, answer, await this.#signer.envelope(answer, product, nowMs, scheme, nonce));
  }

  /** Sets the reply's status and headers for a signed `answer`; returns the envelope to send. */
  #sent(reply: FastifyReply, answer: Reply, signed: SignedEnvelope): string {
    if (answer.headers) reply.headers(answer.headers);
    reply.answerCode = answer.code;
    reply.code(CODES[answer.code].status).header('x-tally-key-id', signed.keyId).type('application/json; charset=utf-8');
    return signed.body;
  }
}

/** The key choice and the contents of one answer's signature besides the answer itself. */
interface Signing {
  /** The product whose own key signs; null: the global key. */
  product: number | null;
  nonce: string | null;
  scheme: SignatureScheme;
  nowMs: number;
}
