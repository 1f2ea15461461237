import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempTally } from './cli-helper.js';

interface ListedKey {
  id: number;
  state: string;
}

describe('tally api-key', () => {
  it('creates a key and prints id, secret, name, capabilities and products with --json', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    const created = await tally.json<Record<string, unknown>>([
      'api-key', 'create', '--name', 'ci', '--capabilities', 'send_telemetry,get_telemetry', '--products', '1', '--allowed-ips', '10.0.0.0/8',
    ]);
    assert.deepEqual(Object.keys(created).slice(0, 5), ['id', 'key', 'name', 'capabilities', 'products']);
    assert.equal(created.id, 1);
    assert.match(String(created.key), /^tly_[A-Za-z0-9_-]{40,}$/);
    assert.deepEqual(created, { ...created, name: 'ci', capabilities: ['send_telemetry', 'get_telemetry'], products: [1], allowed_ips: ['10.0.0.0/8'] });
  });

  it('shows the secret once with a note, and never again in the list', async (t) => {
    const tally = await tempTally(t);
    const created = await tally.run(['api-key', 'create', '--name', 'ci']);
    assert.equal(created.code, 0, created.stderr);
    const secret = /^tly_\S+$/m.exec(created.stdout)?.[0];
    assert.ok(secret, created.stdout);
    assert.match(created.stdout, /shown this once/);
    for (const args of [['api-key', 'list'], ['api-key', 'list', '--json']]) {
      const listed = await tally.run(args);
      assert.equal(listed.code, 0);
      assert.match(listed.stdout, /ci/);
      assert.ok(!listed.stdout.includes(secret) && !listed.stdout.includes('secret_hash'), listed.stdout);
    }
  });

  it('deactivates, activates and revokes a key, and a revoked key cannot be activated again', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['api-key', 'create', '--name', 'ci']);
    const state = async (): Promise<string | undefined> => (await tally.json<{ api_keys: ListedKey[] }>(['api-key', 'list'])).api_keys[0]?.state;
    assert.equal((await tally.run(['api-key', 'deactivate', '1'])).code, 0);
    assert.equal(await state(), 'inactive');
    assert.equal((await tally.run(['api-key', 'activate', '1'])).code, 0);
    assert.equal(await state(), 'active');
    assert.equal((await tally.run(['api-key', 'revoke', '1'])).code, 0);
    assert.equal(await state(), 'revoked');
    const reactivated = await tally.run(['api-key', 'activate', '1']);
    assert.equal(reactivated.code, 1);
    assert.match(reactivated.stderr, /revoked/);
  });

  it('exits 1 with a message for an unknown key id in every lifecycle command', async (t) => {
    const tally = await tempTally(t);
    for (const action of ['deactivate', 'activate', 'revoke']) {
      const result = await tally.run(['api-key', action, '99']);
      assert.equal(result.code, 1, action);
      assert.match(result.stderr, /No API key with id 99/);
    }
  });

  it('refuses an unknown capability or product without creating anything', async (t) => {
    const tally = await tempTally(t);
    const badCapability = await tally.run(['api-key', 'create', '--name', 'ci', '--capabilities', 'admin']);
    assert.equal(badCapability.code, 1);
    assert.match(badCapability.stderr, /Unknown capability: admin/);
    const badProduct = await tally.run(['api-key', 'create', '--name', 'ci', '--products', '5']);
    assert.equal(badProduct.code, 1);
    assert.deepEqual((await tally.json<{ api_keys: unknown[] }>(['api-key', 'list'])).api_keys, []);
  });

  it('treats an empty --products or --allowed-ips list as a usage error rather than "all"', async (t) => {
    const tally = await tempTally(t);
    assert.equal((await tally.run(['api-key', 'create', '--name', 'ci', '--products', ''])).code, 2);
    assert.equal((await tally.run(['api-key', 'create', '--name', 'ci', '--allowed-ips', ' , '])).code, 2);
  });
});
