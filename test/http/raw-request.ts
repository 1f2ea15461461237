import { connect } from 'node:net';

/** An answer read off the socket: status, lower-cased headers and the body's text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The envelope's `response.code` when the body is a signed envelope, else null. */
  code: number | null;
}

/**
 * Sends one request exactly as written (request target included, e.g. `/%61pi/v1/…` or an
 * absolute-form `http://host/…`, which fetch would normalise) on a fresh connection and reads
 * the answer until the server closes it (asked to by `Connection: close`; half-closing the socket
 * first would let the server drop the answer). Bodies are small forms; answers are not chunked.
 */
export function rawRequest(baseUrl: string, method: string, target: string, headers: Record<string, string> = {}, body = ''): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const lines = [`${method} ${target} HTTP/1.1`, `host: ${hostname}:${port}`, 'connection: close', `content-length: ${Buffer.byteLength(body)}`];
  if (body !== '') lines.push('content-type: application/x-www-form-urlencoded');
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve(parseAnswer(Buffer.concat(chunks).toString('utf8'))));
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

function parseAnswer(raw: string): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = raw.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const text = raw.slice(split + 4);
  return { status: Number(statusLine.split(' ')[1]), headers, text, code: envelopeCode(text) };
}

function envelopeCode(text: string): number | null {
  try {
    const parsed = JSON.parse(text) as { response?: { code?: unknown } };
    return typeof parsed.response?.code === 'number' ? parsed.response.code : null;
  } catch {
    return null;
  }
}
