import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ConnectionOptions } from '../connection-options.js';
import type { IngestLane } from './ingest-lane.js';

/** Node's HTTP server options as the app sets them (connection-options.ts, plus the header size). */
export type LaneServerOptions = ConnectionOptions & { http: ConnectionOptions['http'] & { maxHeaderSize: number } };

/**
 * Fastify's `serverFactory`: the same Node server Fastify would make from `options` (timeouts as
 * in Fastify's own getServerInstance), whose requests go to the ingest lane first and, when the
 * lane leaves one, to Fastify's handler. `lane()` is read per request: the lane is made after
 * Fastify (it needs the app's closing state), and until then every request is Fastify's.
 */
export function laneServerFactory(options: LaneServerOptions, lane: () => IngestLane | null) {
  return (fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    const server = createServer(options.http, (request, response) => {
      if (lane()?.(request, response) !== true) fastifyHandler(request, response);
    });
    server.keepAliveTimeout = options.keepAliveTimeout;
    server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout);
    return server;
  };
}
