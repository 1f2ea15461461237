import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  atMs: number;
}

/** What the receiver does with a request: answer with a status, or hold it open until released. */
export type Behaviour = (request: Received, index: number) => number | 'hold';

/**
 * A real HTTP receiver on 127.0.0.1 and a random port, as an operator's endpoint would be: it
 * records every request and answers as `behaviour` says. Held requests stay open until
 * `releaseHeld` answers them (or the client goes away).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly #server: http.Server;
  readonly #held: http.ServerResponse[] = [];
  #behaviour: Behaviour;
  #open = 0;
  maxOpen = 0;
  #waiters: (() => void)[] = [];

  private constructor(server: http.Server, behaviour: Behaviour) {
    this.#server = server;
    this.#behaviour = behaviour;
  }

  static async start(behaviour: Behaviour = () => 200): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | null = null;
    const server = http.createServer((request, response) => receiver?.handle(request, response));
    receiver = new WebhookReceiver(server, behaviour);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  set behaviour(behaviour: Behaviour) {
    this.#behaviour = behaviour;
  }

  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} requests, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  releaseHeld(status = 200): void {
    for (const response of this.#held.splice(0)) if (!response.writableEnded) response.writeHead(status).end();
  }

  async close(): Promise<void> {
    this.releaseHeld();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), atMs: Date.now() };
      this.received.push(received);
      this.#open += 1;
      this.maxOpen = Math.max(this.maxOpen, this.#open);
      response.on('close', () => (this.#open -= 1));
      for (const wake of this.#waiters.splice(0)) wake();
      const action = this.#behaviour(received, this.received.length - 1);
      if (action === 'hold') this.#held.push(response);
      else response.writeHead(action, { location: 'http://127.0.0.1:1/elsewhere' }).end();
    });
  }
}

/**
 * The documented check (docs/webhooks.md), written here from the scheme alone and not from
 * Tally's code: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, t within `toleranceSeconds`.
 */
export function signatureIsValid(secret: string, received: Received, toleranceSeconds = 300): boolean {
  const header = String(received.headers['x-tally-signature'] ?? '');
  const fields = Object.fromEntries(header.split(',').map((pair) => pair.split('=', 2) as [string, string]));
  const t = Number(fields['t']);
  if (!/^\d+$/.test(fields['t'] ?? '') || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${fields['t']}.${received.body}`).digest();
  const given = Buffer.from(fields['v1'] ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
