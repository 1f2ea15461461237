import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
}

async function call(method: 'GET' | 'POST', path: string, options: { body?: string; token?: string | null; type?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers['authorization'] = `Bearer ${options.token ?? server.adminToken}`;
  if (options.body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method, headers, body: options.body });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

const postJson = (path: string, body?: unknown): Promise<Answer> => call('POST', path, body === undefined ? {} : { body: JSON.stringify(body) });

interface Listed {
  id: number;
  name: string;
  state: string;
  expires_at: string | null;
  last_used_at: string | null;
}

async function listed(): Promise<Listed[]> {
  const answer = await call('GET', '/api-keys');
  assert.equal(answer.status, 200);
  return answer.body['api_keys'] as Listed[];
}

const find = async (id: number): Promise<Listed | undefined> => (await listed()).find((key) => key.id === id);

describe('admin API: API keys', () => {
  it('answers 401 without the admin token on every route', async () => {
    const routes: [('GET' | 'POST'), string][] = [
      ['GET', '/api-keys'], ['POST', '/api-keys'], ['POST', '/api-keys/1/deactivate'], ['POST', '/api-keys/1/activate'],
      ['POST', '/api-keys/1/revoke'], ['POST', '/api-keys/1/rotate'], ['POST', '/api-keys/1/update'],
    ];
    for (const [method, path] of routes) {
      for (const token of [null, 'wrong-token-0000000000']) {
        const answer = await call(method, path, { token, ...(method === 'POST' ? { body: '{"name":"x"}' } : {}) });
        assert.equal(answer.status, 401, `${method} ${path}`);
      }
    }
    assert.equal((await listed()).some((key) => key.name === 'x'), false);
  });

  it('lists keys with their state, expiry and last use, never a secret or a hash', async () => {
    const keys = await listed();
    assert.deepEqual(keys.map((key) => [key.name, key.state]).slice(0, 6), [
      ['full', 'active'], ['get-only', 'active'], ['inactive', 'inactive'], ['other-ip', 'active'], ['scoped', 'active'], ['revoked', 'revoked'],
    ]);
    const text = (await call('GET', '/api-keys')).text;
    assert.ok(!text.includes('secret_hash'), text);
    for (const secret of Object.values(server.seed.keys)) assert.ok(!text.includes(secret));
    assert.deepEqual(Object.keys(keys[0]!), ['id', 'name', 'state', 'capabilities', 'products', 'allowed_ips', 'active', 'revoked', 'created_at', 'expires_at', 'last_used_at', 'signature_scheme']);
  });

  it('creates a key (201) and shows its secret once', async () => {
    const created = await postJson('/api-keys', {
      name: 'made over http', capabilities: ['get_telemetry'], products: [server.seed.productB], allowed_ips: ['192.0.2.0/24'], expires_at: '2999-12-31',
    });
    assert.equal(created.status, 201);
    assert.match(String(created.body['key']), /^tly_/);
    assert.deepEqual({ ...created.body, id: 0, key: '', created_at: '' }, {
      id: 0, key: '', name: 'made over http', state: 'active', capabilities: ['get_telemetry'], products: [server.seed.productB],
      allowed_ips: ['192.0.2.0/24'], active: true, revoked: false, created_at: '', expires_at: '2999-12-31T00:00:00.000Z', last_used_at: null,
      signature_scheme: 'auto',
    });
    const text = (await call('GET', '/api-keys')).text;
    assert.ok(text.includes('made over http') && !text.includes(String(created.body['key'])));
  });

  it('refuses bad input with 400 and an error message, creating nothing', async () => {
    const count = (await listed()).length;
    const bad: [unknown, RegExp][] = [
      [{}, /name/],
      [{ name: '' }, /needs a name/],
      [{ name: 'x', capabilities: ['admin'] }, /Unknown capability/],
      [{ name: 'x', capabilities: 'send_telemetry' }, /list/],
      [{ name: 'x', products: [999] }, /No product with id 999/],
      [{ name: 'x', products: ['1'] }, /product ids/],
      [{ name: 'x', allowed_ips: ['not-an-ip'] }, /Not an IP/],
      [{ name: 'x', expires_at: 'tomorrow' }, /ISO-8601/],
      [{ name: 'x', expires_at: '2001-01-01' }, /not in the future/],
      [{ name: 'x', expires_at: 5 }, /expires_at/],
      [{ name: 'x', admin: true }, /Unknown field: admin/],
      [{ name: 'x', signature_scheme: 'php' }, /^Unknown signature scheme: php \(known: auto, contract, getkeymanager-js, getkeymanager-php\)\.$/],
      [{ name: 'x', signature_scheme: 1 }, /"signature_scheme" must be a string or null/],
      [[], /JSON object/],
    ];
    for (const [body, message] of bad) {
      const answer = await postJson('/api-keys', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(String(answer.body['error']), message, JSON.stringify(body));
    }
    const notJson = await call('POST', '/api-keys', { body: '{"name":', type: 'application/json' });
    assert.equal(notJson.status, 400);
    assert.equal((await listed()).length, count);
  });

  it('deactivates, activates and revokes a key; a revoked key cannot be activated (400)', async () => {
    const { body } = await postJson('/api-keys', { name: 'lifecycle' });
    const id = Number(body['id']);
    const deactivated = await postJson(`/api-keys/${id}/deactivate`);
    assert.deepEqual([deactivated.status, deactivated.body['state']], [200, 'inactive']);
    assert.equal((await find(id))?.state, 'inactive');
    const activated = await postJson(`/api-keys/${id}/activate`);
    assert.deepEqual([activated.status, activated.body['state']], [200, 'active']);
    const revoked = await postJson(`/api-keys/${id}/revoke`);
    assert.deepEqual([revoked.status, revoked.body['state']], [200, 'revoked']);
    assert.equal((await find(id))?.state, 'revoked');
    const again = await postJson(`/api-keys/${id}/activate`);
    assert.equal(again.status, 400);
    assert.match(String(again.body['error']), /revoked/);
    assert.ok(!JSON.stringify([deactivated, activated, revoked].map((a) => a.body)).includes('secret_hash'));
  });

  it('rotates a key: a new key with the same settings, the old one revoked or expiring after the grace', async () => {
    const { body } = await postJson('/api-keys', { name: 'rotate me', capabilities: ['send_telemetry', 'get_telemetry'], allowed_ips: ['10.0.0.0/8'] });
    const id = Number(body['id']);
    const before = Date.now();
    const graced = await postJson(`/api-keys/${id}/rotate`, { grace_seconds: 3600 });
    assert.equal(graced.status, 200);
    assert.equal(graced.body['rotated_from'], id);
    assert.notEqual(graced.body['id'], id);
    assert.match(String(graced.body['key']), /^tly_/);
    assert.notEqual(graced.body['key'], body['key']);
    assert.deepEqual([graced.body['name'], graced.body['capabilities'], graced.body['allowed_ips']], ['rotate me', ['send_telemetry', 'get_telemetry'], ['10.0.0.0/8']]);
    const old = await find(id);
    assert.equal(old?.state, 'active');
    const expiry = Date.parse(old?.expires_at ?? '');
    assert.ok(expiry >= before + 3600_000 && expiry <= Date.now() + 3600_000, old?.expires_at ?? 'null');
    const newId = Number(graced.body['id']);
    const now = await postJson(`/api-keys/${newId}/rotate`, {});
    assert.equal(now.status, 200);
    assert.equal((await find(newId))?.state, 'revoked');
    const ofRevoked = await postJson(`/api-keys/${newId}/rotate`);
    assert.equal(ofRevoked.status, 400);
    assert.match(String(ofRevoked.body['error']), /revoked/);
    for (const grace of [-1, 1.5, '60', 31 * 24 * 3600]) {
      const answer = await postJson(`/api-keys/${Number(now.body['id'])}/rotate`, { grace_seconds: grace });
      assert.equal(answer.status, 400, String(grace));
    }
  });

  it('answers 404 for an unknown or malformed id on every action', async () => {
    for (const action of ['deactivate', 'activate', 'revoke', 'rotate', 'update']) {
      for (const id of ['999999', 'abc', '0', '-1']) {
        const answer = await postJson(`/api-keys/${id}/${action}`);
        assert.equal(answer.status, 404, `${action} ${id}`);
        assert.equal(typeof answer.body['error'], 'string');
      }
    }
  });

  it('rotates the same key twice with a grace: the second new key keeps the old key\'s own expiry, not the first grace', async () => {
    for (const expiresAt of [null, '2999-01-01T00:00:00.000Z']) {
      const { body } = await postJson('/api-keys', { name: 'rotated twice', expires_at: expiresAt });
      const id = Number(body['id']);
      const first = await postJson(`/api-keys/${id}/rotate`, { grace_seconds: 3600 });
      const second = await postJson(`/api-keys/${id}/rotate`, { grace_seconds: 3600 });
      assert.deepEqual([first.status, second.status], [200, 200]);
      assert.deepEqual([first.body['expires_at'], second.body['expires_at']], [expiresAt, expiresAt]);
      assert.equal((await find(Number(second.body['id'])))?.expires_at, expiresAt);
      assert.equal((await find(id))?.expires_at, (first.body['old'] as Listed).expires_at, 'the old key\'s grace is not pushed later');
    }
  });

  it('creates a key with a pinned signature scheme and changes it with update; rotation keeps it', async () => {
    const created = await postJson('/api-keys', { name: 'behind a proxy', signature_scheme: 'getkeymanager-php' });
    assert.deepEqual([created.status, created.body['signature_scheme']], [201, 'getkeymanager-php']);
    const id = Number(created.body['id']);
    const updated = await postJson(`/api-keys/${id}/update`, { signature_scheme: 'getkeymanager-js' });
    assert.equal(updated.status, 200);
    const { key: secret, ...shown } = created.body;
    assert.match(String(secret), /^tly_/);
    assert.deepEqual(updated.body, { ...shown, signature_scheme: 'getkeymanager-js' });
    assert.ok(!updated.text.includes('"key"') && !updated.text.includes('secret_hash'));
    assert.equal((await find(id) as Listed & { signature_scheme: string }).signature_scheme, 'getkeymanager-js');
    const unpinned = await postJson(`/api-keys/${id}/update`, { signature_scheme: 'auto' });
    assert.equal(unpinned.body['signature_scheme'], 'auto');
    await postJson(`/api-keys/${id}/update`, { signature_scheme: 'contract' });
    const rotated = await postJson(`/api-keys/${id}/rotate`);
    assert.equal(rotated.body['signature_scheme'], 'contract');
  });

  it('refuses an update that is unreadable, changes nothing, names an unknown scheme or a revoked key (400)', async () => {
    const { body } = await postJson('/api-keys', { name: 'update refusals' });
    const id = Number(body['id']);
    const bad: [unknown, RegExp][] = [
      [{}, /^Nothing to change: give a signature scheme\.$/],
      [{ signature_scheme: null }, /^Nothing to change/],
      [{ signature_scheme: 'PHP' }, /^Unknown signature scheme: PHP \(known: auto, contract, getkeymanager-js, getkeymanager-php\)\.$/],
      [{ signature_scheme: ['contract'] }, /^"signature_scheme" must be a string or null\.$/],
      [{ name: 'renamed' }, /^Unknown field: name \(known: signature_scheme\)\.$/],
      [[], /^Send a JSON object: \{"signature_scheme": …\}\.$/],
    ];
    for (const [sent, message] of bad) {
      const answer = await postJson(`/api-keys/${id}/update`, sent);
      assert.equal(answer.status, 400, JSON.stringify(sent));
      assert.match(String(answer.body['error']), message, JSON.stringify(sent));
    }
    const noBody = await postJson(`/api-keys/${id}/update`);
    assert.deepEqual([noBody.status, noBody.body['error']], [400, 'Nothing to change: give a signature scheme.']);
    await postJson(`/api-keys/${id}/revoke`);
    const revoked = await postJson(`/api-keys/${id}/update`, { signature_scheme: 'contract' });
    assert.equal(revoked.status, 400);
    assert.match(String(revoked.body['error']), /revoked/);
    assert.equal((await find(id) as Listed & { signature_scheme: string }).signature_scheme, 'auto');
  });
});
