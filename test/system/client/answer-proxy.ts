import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to the next answers; 'pass' forwards untouched. */
export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'flip-signature' }
  | { kind: 'flip-response' }
  /** Answers `status` itself (with an optional Retry-After), without asking the server. */
  | { kind: 'refuse'; status: number; retryAfter?: string }
  /** Answers a recorded answer (e.g. one Tally gave to another request), without asking the server. */
  | { kind: 'replay'; status: number; body: string };

export interface AnswerProxy {
  url: string;
  /** Modes for the next requests, in order (push to it); once used up, requests pass. */
  readonly plan: ProxyMode[];
  /** Every request seen: path and arrival time (ms). */
  seen: { path: string; atMs: number }[];
  close(): Promise<void>;
}

function flipBase64Char(text: string, at: number): string {
  const c = text[at] === 'A' ? 'B' : 'A';
  return text.slice(0, at) + c + text.slice(at + 1);
}

/** Changes one byte of a signed envelope: the signature's, or the signed response's (its first code digit). */
function tamper(body: string, kind: 'flip-signature' | 'flip-response'): string {
  const envelope = JSON.parse(body) as Record<string, string>;
  if (kind === 'flip-signature') envelope['signature'] = flipBase64Char(envelope['signature']!, 10);
  else {
    const bytes = Buffer.from(envelope['response_base64']!, 'base64');
    bytes[8] = bytes[8] === 0x38 ? 0x39 : 0x38; // `{"code":830` → `{"code":930`
    envelope['response_base64'] = bytes.toString('base64');
  }
  return JSON.stringify(envelope);
}

/** A tiny HTTP proxy in front of a Tally server that can tamper with answers or refuse requests. */
export async function startAnswerProxy(target: string): Promise<AnswerProxy> {
  const proxy: Pick<AnswerProxy, 'plan' | 'seen'> = { plan: [], seen: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      proxy.seen.push({ path: req.url ?? '', atMs: Date.now() });
      const mode = proxy.plan.shift() ?? { kind: 'pass' };
      if (mode.kind === 'refuse') {
        res.writeHead(mode.status, { 'content-type': 'text/plain', ...(mode.retryAfter ? { 'retry-after': mode.retryAfter } : {}) });
        res.end('refused by the test proxy');
        return;
      }
      if (mode.kind === 'replay') {
        res.writeHead(mode.status, { 'content-type': 'application/json' });
        res.end(mode.body);
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
      fetch(new URL(req.url ?? '/', target), { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          const text = await answer.text();
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(mode.kind === 'pass' ? text : tamper(text, mode.kind));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    plan: proxy.plan,
    seen: proxy.seen,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
