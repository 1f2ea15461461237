import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { hashPassword } from '../../src/registry/accounts/passwords.js';
import { createAppDeps } from '../../src/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL } from '../postgres-helpers.js';
import { clientOf, cookieOf, postLogin } from '../http/account-client.js';
import { TEST_PASSWORD_COST, TEST_PASSWORD_HASH_COST } from '../password-cost.js';

interface Instance {
  url: string;
  store: Store;
  app: FastifyInstance;
}

const schema = randomName();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-two-'));
const instances: Instance[] = [];

/** One Tally app on its own store (its own pool) over the shared schema, listening on a real socket. */
async function instance(): Promise<Instance> {
  const config = loadConfig({ dataDir, databaseUrl: TEST_DATABASE_URL, logLevel: 'silent', port: 0, rateLimitPerIp: 0, rateLimitPerKey: 0, passwordHashCost: TEST_PASSWORD_HASH_COST }, {});
  const store = await openStore({ ...config, schema });
  const app = await buildApp(await createAppDeps(config, store));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, store, app };
}

/** Dashboard sessions behind a load balancer without sticky sessions: two instances, one PostgreSQL schema. */
await describeWithPostgres('sessions shared by two instances', () => {
  describe('two Tally instances over one PostgreSQL schema', () => {
    before(async () => {
      instances.push(await instance(), await instance());
      await instances[0]!.store.accounts.create({ name: 'ops@example.com', role: 'admin', products: null, password_hash: await hashPassword('shared password', TEST_PASSWORD_COST) });
    });
    after(async () => {
      for (const { app, store } of instances) {
        await app.close();
        await store.close();
      }
      await dropSchemas([schema]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('a login on A works on B (its CSRF token too); a logout on B is refused by A', async () => {
      const [a, b] = [instances[0]!, instances[1]!];
      const login = await postLogin(a.url, { name: 'ops@example.com', password: 'shared password' });
      assert.equal(login.headers.get('location'), '/');
      const cookie = cookieOf(login);
      const onA = await clientOf(a.url, cookie);
      const onB = await clientOf(b.url, cookie);
      assert.equal(onB.csrf, onA.csrf, 'both instances derive the same CSRF token');
      const who = (await (await onB.get('/admin/api/session')).json()) as { role: string; account: { name: string } };
      assert.deepEqual([who.role, who.account.name], ['admin', 'ops@example.com']);
      const product = await onB.send('POST', '/admin/api/products', { name: 'Made on B' });
      assert.equal(product.status, 201, 'a change with the session\'s CSRF token works on B');
      assert.equal((await onB.send('DELETE', '/admin/api/session')).status, 204);
      assert.equal((await onA.get('/admin/api/session')).status, 401, 'A refuses the cookie B logged out');
      assert.equal((await onA.get('/admin/api/products')).status, 401);
    });

    it('disabling an account on A ends its session on B at once', async () => {
      const [a, b] = [instances[0]!, instances[1]!];
      const account = await a.store.accounts.create({ name: 'temp@example.com', role: 'viewer', products: null, password_hash: await hashPassword('temp password!', TEST_PASSWORD_COST) });
      const onB = await clientOf(b.url, cookieOf(await postLogin(b.url, { name: 'temp@example.com', password: 'temp password!' })));
      assert.equal((await onB.get('/admin/api/session')).status, 200);
      await a.store.accounts.update(account.id, { disabled: true }, new Date().toISOString());
      assert.equal((await onB.get('/admin/api/session')).status, 401);
    });
  });
});
