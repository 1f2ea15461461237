import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openPgPool } from '../../../src/store/postgres/connection.js';
import { isStoreUnavailable } from '../../../src/store/contract/store-unavailable.js';

describe('PostgreSQL that accepts connections but never answers', () => {
  const sockets: Socket[] = [];
  const blackHole = createServer((socket) => {
    sockets.push(socket); // accept, then say nothing
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const address = blackHole.address();
    url = `postgres://tally@127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/tally`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  it('fails a query within the 5 s connect timeout with an error that counts as "store unavailable" (a 503), instead of hanging', async () => {
    const pool = openPgPool({ url });
    const started = Date.now();
    try {
      const error = await pool.query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      const waited = Date.now() - started;
      assert.ok(error instanceof Error, 'the query fails');
      assert.ok(isStoreUnavailable(error), `classified as unavailable: ${String(error)}`);
      assert.ok(waited >= 4000 && waited < 15_000, `failed after ${waited} ms`);
    } finally {
      await pool.end();
    }
  });
});
