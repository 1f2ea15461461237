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

  it('prints {id, active, revoked, state} with --json for deactivate, activate and revoke, and the human line without', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['api-key', 'create', '--name', 'ci']);
    assert.deepEqual(await tally.json(['api-key', 'deactivate', '1']), { id: 1, active: false, revoked: false, state: 'inactive' });
    assert.deepEqual(await tally.json(['api-key', 'activate', '1']), { id: 1, active: true, revoked: false, state: 'active' });
    assert.deepEqual(await tally.json(['api-key', 'revoke', '1']), { id: 1, active: true, revoked: true, state: 'revoked' });
    const human = await tally.run(['api-key', 'revoke', '1']);
    assert.deepEqual([human.code, human.stdout], [0, 'API key 1 revoked.\n']);
    const refused = await tally.run(['api-key', 'activate', '1', '--json']);
    assert.deepEqual([refused.code, refused.stdout], [1, '']);
    assert.match(refused.stderr, /^error: API key 1 is revoked/);
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

  it('creates a key with --expires-at and lists its expiry and last use', async (t) => {
    const tally = await tempTally(t);
    const created = await tally.json<Record<string, unknown>>(['api-key', 'create', '--name', 'ci', '--expires-at', '2999-06-01T12:00:00+02:00']);
    assert.equal(created.expires_at, '2999-06-01T10:00:00.000Z');
    const never = await tally.json<Record<string, unknown>>(['api-key', 'create', '--name', 'forever']);
    assert.equal(never.expires_at, null);
    await tally.withStore((store) => store.registry.touchApiKeys([{ id: Number(created.id), at: '2026-03-04T05:06:07.000Z' }]));
    const listed = await tally.json<{ api_keys: Array<Record<string, unknown>> }>(['api-key', 'list']);
    assert.deepEqual(listed.api_keys.map((k) => [k.state, k.expires_at, k.last_used_at]), [
      ['active', '2999-06-01T10:00:00.000Z', '2026-03-04T05:06:07.000Z'],
      ['active', null, null],
    ]);
    const text = await tally.run(['api-key', 'list']);
    assert.match(text.stdout, /^1\tactive\tci\t.*expires 2999-06-01T10:00:00.000Z.*last used 2026-03-04T05:06:07.000Z$/m);
    assert.match(text.stdout, /^2\tactive\tforever\t.*never expires\tnever used$/m);
  });

  it('refuses an unreadable or past --expires-at', async (t) => {
    const tally = await tempTally(t);
    const unreadable = await tally.run(['api-key', 'create', '--name', 'ci', '--expires-at', 'next week']);
    assert.equal(unreadable.code, 1);
    assert.match(unreadable.stderr, /ISO-8601/);
    const past = await tally.run(['api-key', 'create', '--name', 'ci', '--expires-at', '2001-01-01']);
    assert.equal(past.code, 1);
    assert.match(past.stderr, /not in the future/);
    assert.deepEqual((await tally.json<{ api_keys: unknown[] }>(['api-key', 'list'])).api_keys, []);
  });

  it('shows an expired key as expired in the list', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['api-key', 'create', '--name', 'ci', '--expires-at', '2999-01-01']);
    await tally.withStore((store) => store.registry.setApiKeyExpiry(1, '2020-01-01T00:00:00.000Z').then(() => undefined));
    assert.equal((await tally.json<{ api_keys: ListedKey[] }>(['api-key', 'list'])).api_keys[0]?.state, 'expired');
    const rotated = await tally.run(['api-key', 'rotate', '1']);
    assert.equal(rotated.code, 1);
    assert.match(rotated.stderr, /expired/);
  });

  it('rotates a key with --json: a new secret once, the same settings, rotated_from, the old key revoked', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    const old = await tally.json<Record<string, unknown>>([
      'api-key', 'create', '--name', 'ci', '--capabilities', 'get_telemetry', '--products', '1', '--allowed-ips', '10.0.0.0/8', '--expires-at', '2999-01-01',
    ]);
    const rotated = await tally.json<Record<string, unknown>>(['api-key', 'rotate', '1']);
    assert.deepEqual(Object.keys(rotated), ['id', 'key', 'name', 'capabilities', 'products', 'allowed_ips', 'expires_at', 'signature_scheme', 'rotated_from', 'old']);
    assert.equal(rotated.id, 2);
    assert.equal(rotated.rotated_from, 1);
    assert.match(String(rotated.key), /^tly_[A-Za-z0-9_-]{40,}$/);
    assert.notEqual(rotated.key, old.key);
    assert.deepEqual({ ...rotated, id: 0, key: '', rotated_from: 0, old: null }, { ...old, id: 0, key: '', rotated_from: 0, old: null });
    assert.equal((rotated.old as ListedKey).state, 'revoked');
    const states = (await tally.json<{ api_keys: ListedKey[] }>(['api-key', 'list'])).api_keys.map((k) => [k.id, k.state]);
    assert.deepEqual(states, [[1, 'revoked'], [2, 'active']]);
    const again = await tally.run(['api-key', 'rotate', '1']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /revoked/);
  });

  it('rotates with --grace-seconds: the old key stays active and expires at the end of the grace', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['api-key', 'create', '--name', 'ci']);
    const before = Date.now();
    const text = await tally.run(['api-key', 'rotate', '1', '--grace-seconds', '600']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Rotated API key 1 \(works until \S+\) to API key 2/);
    assert.match(text.stdout, /shown this once/);
    assert.match(text.stdout, /^tly_\S+$/m);
    const keys = (await tally.json<{ api_keys: Array<ListedKey & { expires_at: string | null }> }>(['api-key', 'list'])).api_keys;
    assert.deepEqual(keys.map((k) => [k.id, k.state]), [[1, 'active'], [2, 'active']]);
    const expiry = Date.parse(keys[0]?.expires_at ?? '');
    assert.ok(expiry >= before + 600_000 && expiry <= Date.now() + 600_000, keys[0]?.expires_at ?? 'null');
    assert.equal(keys[1]?.expires_at, null);
    for (const grace of ['-5', 'soon', '1.5']) assert.equal((await tally.run(['api-key', 'rotate', '2', '--grace-seconds', grace])).code, 2, grace);
    const tooLong = await tally.run(['api-key', 'rotate', '2', '--grace-seconds', '99999999']);
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, /grace/);
    assert.match((await tally.run(['api-key', 'rotate', '9'])).stderr, /No API key with id 9/);
  });

  it('rotates the same key twice with a grace: each new key keeps the old key\'s own expiry, not the first grace', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['api-key', 'create', '--name', 'forever']);
    await tally.json(['api-key', 'create', '--name', 'dated', '--expires-at', '2999-01-01']);
    for (const [id, own] of [[1, null], [2, '2999-01-01T00:00:00.000Z']] as const) {
      const first = await tally.json<{ id: number; expires_at: string | null; old: { expires_at: string | null } }>(['api-key', 'rotate', String(id), '--grace-seconds', '3600']);
      const second = await tally.json<{ id: number; expires_at: string | null; old: { expires_at: string | null } }>(['api-key', 'rotate', String(id), '--grace-seconds', '3600']);
      assert.deepEqual([first.expires_at, second.expires_at], [own, own], `key ${id}`);
      assert.ok(second.old.expires_at !== null && second.old.expires_at === first.old.expires_at, 'the grace is not pushed later');
      const listed = (await tally.json<{ api_keys: Array<{ id: number; expires_at: string | null }> }>(['api-key', 'list'])).api_keys;
      assert.equal(listed.find((k) => k.id === second.id)?.expires_at, own, `key ${id}`);
    }
  });

  it('creates a key with --signature-scheme, changes it with update, lists it, and rotation keeps it', async (t) => {
    const tally = await tempTally(t);
    const created = await tally.json<Record<string, unknown>>(['api-key', 'create', '--name', 'proxied', '--signature-scheme', 'getkeymanager-php']);
    assert.equal(created.signature_scheme, 'getkeymanager-php');
    assert.equal((await tally.json<Record<string, unknown>>(['api-key', 'create', '--name', 'plain'])).signature_scheme, 'auto');
    const updated = await tally.json<Record<string, unknown>>(['api-key', 'update', '2', '--signature-scheme', 'contract']);
    assert.deepEqual([updated.id, updated.name, updated.state, updated.signature_scheme], [2, 'plain', 'active', 'contract']);
    assert.ok(!('key' in updated) && !('secret_hash' in updated));
    const text = await tally.run(['api-key', 'update', '1', '--signature-scheme', 'getkeymanager-js']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Updated API key 1 "proxied": .*signature scheme getkeymanager-js\.$/m);
    const listed = await tally.json<{ api_keys: Array<Record<string, unknown>> }>(['api-key', 'list']);
    assert.deepEqual(listed.api_keys.map((k) => k.signature_scheme), ['getkeymanager-js', 'contract']);
    assert.match((await tally.run(['api-key', 'list'])).stdout, /^2\tactive\tplain\t.*signature scheme contract\t/m);
    const rotated = await tally.json<Record<string, unknown>>(['api-key', 'rotate', '1']);
    assert.equal(rotated.signature_scheme, 'getkeymanager-js');
  });

  it('refuses an unknown scheme (listing the known ones), an update with nothing to change, and an unknown or revoked key', async (t) => {
    const tally = await tempTally(t);
    const badCreate = await tally.run(['api-key', 'create', '--name', 'x', '--signature-scheme', 'php']);
    assert.equal(badCreate.code, 1);
    assert.match(badCreate.stderr, /Unknown signature scheme: php \(known: auto, contract, getkeymanager-js, getkeymanager-php\)/);
    assert.deepEqual((await tally.json<{ api_keys: unknown[] }>(['api-key', 'list'])).api_keys, []);
    await tally.json(['api-key', 'create', '--name', 'ci']);
    const badUpdate = await tally.run(['api-key', 'update', '1', '--signature-scheme', 'JS']);
    assert.equal(badUpdate.code, 1);
    assert.match(badUpdate.stderr, /Unknown signature scheme: JS \(known: /);
    const nothing = await tally.run(['api-key', 'update', '1']);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /Nothing to change/);
    assert.match((await tally.run(['api-key', 'update', '9', '--signature-scheme', 'auto'])).stderr, /No API key with id 9/);
    assert.equal((await tally.run(['api-key', 'revoke', '1'])).code, 0);
    const revoked = await tally.run(['api-key', 'update', '1', '--signature-scheme', 'contract']);
    assert.equal(revoked.code, 1);
    assert.match(revoked.stderr, /revoked/);
    assert.equal((await tally.json<{ api_keys: Array<Record<string, unknown>> }>(['api-key', 'list'])).api_keys[0]?.signature_scheme, 'auto');
  });
});
