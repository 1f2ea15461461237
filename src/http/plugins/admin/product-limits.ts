import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { mayUseProduct } from '../../../model/product-access.js';
import { principalOf } from './principal.js';
import { routeName } from './route-access.js';

/** Routes whose `:id` is a product id. */
const PRODUCT_PATH = /\/products\/:id(\/|$)/;

type Named = { kind: 'named'; productId: number } | { kind: 'unreadable' } | { kind: 'absent'; takesProductId: boolean };

/**
 * preHandler (after the schemas have read the request): an account limited to products may name
 * only those (route-access.ts, ProductScope). Refusals are 403 with a message that says what to do.
 */
export async function refuseOtherProducts(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const { products } = principalOf(request);
  const scope = request.routeOptions.config.productScope ?? 'named';
  if (products === null || scope !== 'named' || request.is404) return undefined;
  const productOf = request.routeOptions.config.productOf;
  if (productOf !== undefined) {
    const owner = await productOf(request);
    if (owner === null || mayUseProduct({ products }, owner)) return undefined;
    return reply.code(403).send({ error: refusal(request, { kind: 'named', productId: owner }, products) });
  }
  const named = namedProduct(request);
  if (named.kind === 'named' && mayUseProduct({ products }, named.productId)) return undefined;
  return reply.code(403).send({ error: refusal(request, named, products) });
}

function refusal(request: FastifyRequest, named: Named, products: readonly number[]): string {
  const yours = `your account is limited to product${products.length === 1 ? '' : 's'} ${products.join(', ') || '(none)'}`;
  if (named.kind === 'named') return `Product ${named.productId} is not yours: ${yours}.`;
  if (named.kind === 'unreadable') return `Name one product as product_id: ${yours}.`;
  if (named.takesProductId) return `${routeName(request)} answers about every product unless you pass product_id: ${yours}, so pass one of them.`;
  return `${routeName(request)} concerns every product, and ${yours}: an account limited to products cannot use it.`;
}

/** The product a request names: the `:id` of a product path, or `product_id` in its query or body. */
function namedProduct(request: FastifyRequest): Named {
  const url = request.routeOptions.url ?? '';
  if (PRODUCT_PATH.test(url)) return productFrom(field(request.params, 'id'));
  const value = field(request.query, 'product_id') ?? field(request.body, 'product_id');
  if (value !== undefined && value !== null) return productFrom(value);
  return { kind: 'absent', takesProductId: declaresProductId(request.routeOptions.schema) };
}

function field(part: unknown, name: string): unknown {
  return typeof part === 'object' && part !== null && !Array.isArray(part) ? (part as Record<string, unknown>)[name] : undefined;
}

/** A number, or its decimal text (the query API's own parsers read records' and exports' filters later). */
function productFrom(value: unknown): Named {
  const id = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? { kind: 'named', productId: id } : { kind: 'unreadable' };
}

function declaresProductId(schema: FastifySchema | undefined): boolean {
  return [schema?.querystring, schema?.body].some((part) => typeof field(field(part, 'properties'), 'product_id') === 'object');
}
