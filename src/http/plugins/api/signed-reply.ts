import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EnvelopeSigner } from '../../../envelope/envelope.js';
import { echoedNonce } from '../../../envelope/request-nonce.js';
import { signingProduct } from '../../../envelope/signing-product.js';
import type { SignatureScheme } from '../../../envelope/signature-schemes.js';
import { CODES, type Reply } from '../../../model/codes.js';
import type { ApiKey } from '../../../model/registry.js';

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
export function schemeFor(apiKey: ApiKey | null, userAgent: string | undefined): SignatureScheme {
  const pinned = apiKey?.signature_scheme;
  if (pinned !== undefined && pinned !== 'auto') return pinned;
  if (userAgent !== undefined) for (const [prefix, scheme] of SDK_AGENTS) if (userAgent.startsWith(prefix)) return scheme;
  return 'contract';
}

/** Who an answer goes to, as signing it needs to know. */
export interface AnswerTo {
  /** The fields that name the product to sign for; null = the global key (a refusal made before the endpoint ran). */
  signFor: Fields | null;
  /** The fields the request's `nonce` is echoed from; null = none were read. */
  nonceFrom: Fields | null;
  /** The API key accepted for the request (null before, or when the endpoint needs none). */
  apiKey: ApiKey | null;
  userAgent: string | undefined;
}

/** A signed answer as it goes on the wire: HTTP status, its own headers, and the envelope. */
export interface SignedAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/**
 * Signs `answer` for whom it goes `to`: the one place that chooses the key an answer is signed
 * with. An endpoint's answer is signed with the own key of the product its fields name when the
 * accepted API key may be used for that product alone and the product has a key
 * (signing-product.ts); a refusal made before the endpoint ran with the global key. The answer's
 * own headers (Retry-After…) come first, then `X-Tally-Key-Id` and the content type.
 */
export async function signAnswer(signer: EnvelopeSigner, answer: Reply, to: AnswerTo): Promise<SignedAnswer> {
  const product = to.signFor === null ? null : signingProduct(to.signFor, to.apiKey);
  const signed = await signer.envelope(answer, product, Date.now(), schemeFor(to.apiKey, to.userAgent), echoedNonce(to.nonceFrom));
  return {
    status: CODES[answer.code].status,
    headers: { ...answer.headers, 'x-tally-key-id': signed.keyId, 'content-type': ANSWER_TYPE },
    body: signed.body,
  };
}

const ANSWER_TYPE = 'application/json; charset=utf-8';

/** The envelope code each signed answer carried; a reply without one was not signed here. */
const codes = new WeakMap<FastifyReply, number>();

/** The envelope code of an answer (for metrics and logs), or 0 when it was not a signed envelope. */
export function answerCodeOf(reply: FastifyReply): number {
  return codes.get(reply) ?? 0;
}

/**
 * The public API's answers under Fastify: every one becomes the signed envelope of CONTRACT §2
 * (signAnswer), with the HTTP status its code maps to and `X-Tally-Key-Id` naming the key that
 * signed it (docs/security.md). Every answer to a request whose fields were read echoes its
 * usable `nonce` inside the signed response, refusals included.
 */
export class SignedReplies {
  readonly #signer: EnvelopeSigner;

  constructor(signer: EnvelopeSigner) {
    this.#signer = signer;
  }

  /** An endpoint's answer, signed for the product that `fields` name when the request's key may speak for it (null: the global key). */
  async answer(reply: FastifyReply, answer: Reply, fields: Fields | null): Promise<FastifyReply> {
    return reply.send(await this.#envelope(reply, answer, fields));
  }

  /** A refusal made before the endpoint ran, signed with the global key. */
  refuse(reply: FastifyReply, answer: Reply): Promise<FastifyReply> {
    return this.answer(reply, answer, null);
  }

  /**
   * Makes sure nothing under the public API leaves unsigned: an answer that did not come from
   * `answer` or `refuse` (a route that bypassed them) is logged and replaced by a signed 500.
   */
  guard(app: FastifyInstance, isApi: (request: FastifyRequest) => boolean): void {
    app.addHook('onSend', async (request, reply, payload) => {
      if (codes.has(reply) || !isApi(request)) return payload;
      request.log.error({ reqId: request.id, url: request.url.split('?')[0] }, 'an /api answer bypassed the signed reply; answered 500 instead');
      return this.#envelope(reply, { code: 500 }, null);
    });
  }

  /** Signs `answer` and sets the reply's status and headers for it; returns the envelope to send. */
  async #envelope(reply: FastifyReply, answer: Reply, fields: Fields | null): Promise<string> {
    const request = reply.request;
    // apiFields is undefined outside the /api scope (a 404 elsewhere): no fields, no nonce.
    const signed = await signAnswer(this.#signer, answer, { signFor: fields, nonceFrom: request.apiFields, apiKey: request.apiKey ?? null, userAgent: request.headers['user-agent'] });
    codes.set(reply, answer.code);
    reply.code(signed.status).headers(signed.headers);
    return signed.body;
  }
}
