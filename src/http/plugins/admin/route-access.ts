import type { FastifyRequest } from 'fastify';
import type { Role } from '../../../model/accounts.js';

/**
 * How an admin route relates to products, for accounts limited to some (docs/accounts.md "Roles"):
 * - `named` (the default): the route names its product, as `product_id` in the query or body, or
 *   as the `:id` of `/products/:id…`; a limited account may name only its products, and is refused
 *   when the route names none (told to pass `product_id` when the route takes one).
 * - `filtered`: the route spans every product and its handler answers only about the caller's
 *   (principalOf(request).products), e.g. `GET /products`.
 * - `none`: the route is about no product (the caller's own session and tokens).
 */
export type ProductScope = 'named' | 'filtered' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The weakest role that may call the route; default: GET/HEAD viewer, anything else admin. */
    minRole?: Role;
    /** How the route names products; default `named`. */
    productScope?: ProductScope;
    /**
     * For a `named` route whose `:id` is a thing of one product (a license, an activation): that
     * product, or null when there is no such thing (the route then answers 404 itself).
     */
    productOf?: (request: FastifyRequest) => Promise<number | null>;
  }
}

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** The role a request's route needs: its `config.minRole`, else by method (reads viewer, writes admin). */
export function neededRole(request: FastifyRequest): Role {
  return request.routeOptions.config.minRole ?? (READ_METHODS.has(request.method) ? 'viewer' : 'admin');
}

/** What a message calls the route: its method and path pattern (`POST /admin/api/products/:id/versions`). */
export function routeName(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0] ?? ''}`;
}
