import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './test-server.js';

/** Opens a socket to the server and writes `text`; the socket stays open until the server closes it. */
async function openAndSend(url: string, text: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(text);
  return socket;
}

/** How long (ms) until the server closes the socket; rejects when it is still open after `withinMs`. */
function closedWithin(socket: net.Socket, withinMs: number): Promise<number> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    if (socket.destroyed || socket.readableEnded) return resolve(0);
    const timer = setTimeout(() => reject(new Error(`still open after ${withinMs} ms`)), withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
    socket.once('end', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}

const BODY_NEVER_SENT = 'POST /not-a-route HTTP/1.1\r\nHost: tally\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n';
const HEADERS_NEVER_ENDED = 'GET /healthz HTTP/1.1\r\nHost: tally\r\nX-Slow: ';

describe('connections that never finish their request', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ headersTimeoutMs: 300, requestTimeoutMs: 600, idleTimeoutMs: 5000 });
  });
  after(() => server.close());

  it('closes a connection whose announced body never arrives within the request timeout', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => openAndSend(server.url, BODY_NEVER_SENT)));
    try {
      await Promise.all(sockets.map((socket) => closedWithin(socket, 3000)));
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'real clients are still served');
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it('closes a connection whose headers never end within the headers timeout', async () => {
    const socket = await openAndSend(server.url, HEADERS_NEVER_ENDED);
    try {
      await closedWithin(socket, 2500);
    } finally {
      socket.destroy();
    }
  });
});

describe('the connection cap', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxConnections: 3 });
  });
  after(() => server.close());

  it('closes connections past the cap at once and serves again when one goes away', async () => {
    const held = await Promise.all(Array.from({ length: 3 }, () => openAndSend(server.url, BODY_NEVER_SENT)));
    const over = await openAndSend(server.url, BODY_NEVER_SENT);
    try {
      await closedWithin(over, 2000);
      for (const socket of held) assert.equal(socket.destroyed, false, 'connections under the cap stay open');
      held[0]?.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } });
      assert.equal(answer.status, 200);
    } finally {
      for (const socket of [...held, over]) socket.destroy();
    }
  });
});
