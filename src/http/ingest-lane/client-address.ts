import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** The client address of a request, as the app's Fastify `request.ip` gives it. */
export type ClientAddress = (request: IncomingMessage) => string;

/**
 * `request.ip` without Fastify: the TCP peer, or, with trusted proxies, the right-most
 * X-Forwarded-For address that is not one of them, computed by the same library and rule
 * Fastify uses for its `trustProxy` list (app.ts).
 */
export function clientAddress(trustedProxies: readonly string[]): ClientAddress {
  if (trustedProxies.length === 0) return (request) => request.socket.remoteAddress ?? '';
  const trust = proxyAddr.compile([...trustedProxies]);
  return (request) => {
    const addresses = proxyAddr.all(request, trust);
    return addresses[addresses.length - 1] ?? '';
  };
}
