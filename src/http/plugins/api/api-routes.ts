import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, preHandlerAsyncHookHandler } from 'fastify';
import { CODES, type Reply } from '../../../model/codes.js';
import type { ApiKey, Capability } from '../../../model/registry.js';
import { apiKeyCheck, type ApiKeyCheckDeps, type FieldSource } from './api-key-check.js';
import { nonceCheck } from './nonce-check.js';
import type { Fields, SignedReplies } from './signed-reply.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The fields an /api/v1 endpoint reads, once apiKeyCheck has read them (null before). */
    apiFields: Fields | null;
    /** The API key apiKeyCheck accepted (null before, and on endpoints that need none). */
    apiKey: ApiKey | null;
  }
}

/** What an endpoint's handler gets: its fields and, when it needs one, the accepted API key. */
export interface ApiCall<K extends Capability | null> {
  request: FastifyRequest;
  fields: Fields;
  key: K extends Capability ? ApiKey : null;
}

/** One endpoint of the public API: a few lines over the key check and the signed reply. */
export interface ApiRoute<K extends Capability | null> {
  methods: readonly ('GET' | 'POST')[];
  paths: readonly string[];
  /** Where its fields come from (api-key-check.ts). */
  fields: FieldSource;
  /** The capability its API key must have; null = no key is needed (nor looked at). */
  capability: K;
  bodyLimit?: number;
  /**
   * What the OpenAPI description says of it (src/http/schemas/api-operations.ts). Kept in the
   * route's config, never as its schema: Fastify must not validate the public API's input.
   */
  docs: FastifySchema;
  /** Checks run after the key check; a refusal they send is signed with the global key. */
  preHandler?: preHandlerAsyncHookHandler;
  handler(call: ApiCall<K>): Promise<Reply>;
}

/** Registers endpoints of the public API in the scope `apiRoutes` made. */
export interface ApiRoutes {
  add<K extends Capability | null>(route: ApiRoute<K>): void;
  /** A child scope for endpoints that read their bodies differently (the batch endpoint); it loads with the API scope. */
  scope(register: (scope: FastifyInstance, routes: ApiRoutes) => void): void;
}

/**
 * The scope of the public API (`/api/v1/*`): every route registered in it, by `add` or directly,
 * answers through the signed reply. A route's handler returns a Reply; what it returns is sent
 * as the envelope, signed for the product its fields name (signed-reply.ts). A handler that
 * returns anything else is a bug: it is logged and answered 500, signed.
 */
export async function apiRoutes(app: FastifyInstance, deps: ApiKeyCheckDeps, register: (routes: ApiRoutes) => void): Promise<void> {
  await app.register(async (api) => {
    api.decorateRequest('apiFields', null);
    api.decorateRequest('apiKey', null);
    api.addHook('onRoute', (route) => {
      // Rate limits and the signed error answers know an API request by this, not by its URL (api-request.ts).
      route.config = { ...route.config, api: true };
      route.handler = signing(route.handler as Handler, deps.replies);
    });
    register(routesOf(api, deps));
  });
}

type Handler = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;

function routesOf(instance: FastifyInstance, deps: ApiKeyCheckDeps): ApiRoutes {
  return {
    add: (route) => addRoute(instance, deps, route),
    scope: (register) => {
      void instance.register(async (child) => register(child, routesOf(child, deps)));
    },
  };
}

function addRoute<K extends Capability | null>(instance: FastifyInstance, deps: ApiKeyCheckDeps, route: ApiRoute<K>): void {
  const checks = [apiKeyCheck(deps, route.fields, route.capability), nonceCheck(deps.replies)];
  const preHandler = route.preHandler === undefined ? checks : [...checks, route.preHandler];
  for (const url of route.paths) {
    instance.route({
      method: [...route.methods],
      url,
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      config: { openapi: route.docs },
      preHandler,
      // apiKeyCheck has set both before the handler runs; the key is null exactly when the route needs none.
      handler: (request) => route.handler({ request, fields: request.apiFields ?? {}, key: request.apiKey as ApiCall<K>['key'] }),
    });
  }
}

/** Wraps a route's handler so that the Reply it returns goes out as the signed envelope. */
function signing(handler: Handler, replies: SignedReplies): Handler {
  return async function signed(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const answer = await handler.call(this, request, reply);
    // A route that sent something itself (and returned the reply): the onSend guard signs it instead.
    if (answer === reply || reply.sent) return reply;
    if (!isReply(answer)) {
      request.log.error({ reqId: request.id, url: request.url.split('?')[0] }, 'an /api route returned something that is not a Reply; answered 500');
      return replies.refuse(reply, { code: 500 });
    }
    return replies.answer(reply, answer, request.apiFields);
  };
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && Object.hasOwn(CODES, (value as { code?: unknown }).code as PropertyKey);
}
