import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A load balancer for tests: each request goes to the next upstream in turn, with no stickiness. */
export interface RoundRobinProxy {
  url: string;
  /** How many requests each upstream was sent, by upstream URL. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

/** Starts a node:http proxy on 127.0.0.1 that alternates `upstreams` per request, passing the Host header on. */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const counts = new Map(upstreams.map((upstream) => [upstream, 0]));
  let next = 0;
  const server = http.createServer((request, response) => {
    const upstream = upstreams[next++ % upstreams.length] ?? '';
    counts.set(upstream, (counts.get(upstream) ?? 0) + 1);
    const target = new URL(request.url ?? '/', upstream);
    const forwarded = http.request(target, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(forwarded);
  });
  // No keep-alive reuse across upstreams matters here: the proxy opens a new upstream request each time.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
