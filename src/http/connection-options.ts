import type { Config } from '../config/config.js';

/** The socket-level options of the HTTP server, from the timeout and connection settings. */
export interface ConnectionOptions {
  requestTimeout: number;
  connectionTimeout: number;
  keepAliveTimeout: number;
  http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
}

/**
 * Node checks the headers and request timeouts only every `connectionsCheckingInterval` (30 s by
 * default), so a 10 s timeout could take 40 s; checking a quarter of the shortest one, at most
 * every second, keeps the bound close to the setting at a negligible cost.
 */
function checkingInterval(config: Config): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 4)));
}

/**
 * Fastify's defaults keep a connection whose headers or body never arrive forever (timeouts 0);
 * these bound what a connection that sends nothing can cost (docs/operations.md, "Timeouts").
 */
export function connectionOptions(config: Config): ConnectionOptions {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: checkingInterval(config) },
  };
}
