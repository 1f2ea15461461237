import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { type NewApiKey, type Store } from '../../src/store/contract/store.js';
import { rotateApiKey } from '../../src/registry/api-key-lifecycle.js';
import { createApiKey as createApiKeyUseCase } from '../../src/registry/api-keys.js';
import type { ApiKey } from '../../src/model/registry.js';
import { DuplicateError } from '../../src/model/errors.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function apiKey(overrides: Partial<NewApiKey> = {}): NewApiKey {
  return {
    name: 'ingest',
    secret_hash: 'a'.repeat(64),
    capabilities: ['send_telemetry'],
    products: [],
    allowed_ips: [],
    ...overrides,
  };
}

/** The API key part of the store contract (docs/security.md, "Leaked API keys"), run on every backend. */
export function describeApiKeyContract(test: StoreTest): void {
  describeApiKeyStorage(test);
  describeApiKeyLifecycle(test);
  describeApiKeyExpiryAndUse(test);
  describeRotatedTwice(test);
  describeApiKeySignatureScheme(test);
}

function describeApiKeyStorage(test: StoreTest): void {
  test('a created key is found by its hash with its capabilities, products and allowed IPs', async (store) => {
    const input = apiKey({
      name: 'dashboard ✓',
      capabilities: ['send_telemetry', 'get_telemetry'],
      products: [3, 1, 2],
      allowed_ips: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'],
    });
    const created = await store.registry.createApiKey(input);
    assert.deepEqual(
      { ...created, id: 0, created_at: '' },
      { ...input, id: 0, active: true, revoked: false, created_at: '', expires_at: null, configured_expires_at: null, last_used_at: null, signature_scheme: 'auto' },
    );
    assert.match(created.created_at, ISO_8601);
    assert.deepEqual(await store.registry.findApiKeyByHash(input.secret_hash), created);
  });

  test('empty product and IP lists round-trip as empty lists', async (store) => {
    await store.registry.createApiKey(apiKey());
    const found = await store.registry.findApiKeyByHash(apiKey().secret_hash);
    assert.deepEqual(found?.products, []);
    assert.deepEqual(found?.allowed_ips, []);
    assert.deepEqual(found?.capabilities, ['send_telemetry']);
  });

  test('findApiKeyByHash of an unknown hash is null', async (store) => {
    await store.registry.createApiKey(apiKey());
    assert.equal(await store.registry.findApiKeyByHash('b'.repeat(64)), null);
  });

  test('a second key with the same secret hash is a DuplicateError', async (store) => {
    await store.registry.createApiKey(apiKey());
    await assert.rejects(store.registry.createApiKey(apiKey({ name: 'other' })), DuplicateError);
  });

  test('listApiKeys returns every key by id, revoked ones included', async (store) => {
    const a = await store.registry.createApiKey(apiKey({ name: 'a', secret_hash: '1'.repeat(64) }));
    const b = await store.registry.createApiKey(apiKey({ name: 'b', secret_hash: '2'.repeat(64) }));
    await store.registry.revokeApiKey(a.id);
    const listed = await store.registry.listApiKeys();
    assert.deepEqual(listed.map((k) => [k.id, k.name, k.revoked]), [[a.id, 'a', true], [b.id, 'b', false]]);
  });
}

function describeApiKeyLifecycle(test: StoreTest): void {
  test('a key can be deactivated and activated again', async (store) => {
    const key = await store.registry.createApiKey(apiKey());
    assert.equal(await store.registry.setApiKeyActive(key.id, false), true);
    assert.equal((await store.registry.findApiKeyByHash(key.secret_hash))?.active, false);
    assert.equal(await store.registry.setApiKeyActive(key.id, true), true);
    assert.equal((await store.registry.findApiKeyByHash(key.secret_hash))?.active, true);
  });

  test('a revoked key is still found by its hash, marked revoked, and stays revoked when activated', async (store) => {
    const key = await store.registry.createApiKey(apiKey());
    assert.equal(await store.registry.revokeApiKey(key.id), true);
    assert.equal((await store.registry.findApiKeyByHash(key.secret_hash))?.revoked, true);
    await store.registry.setApiKeyActive(key.id, true);
    assert.equal((await store.registry.findApiKeyByHash(key.secret_hash))?.revoked, true);
  });

  test('changing an unknown key returns false', async (store) => {
    assert.equal(await store.registry.setApiKeyActive(424_242, false), false);
    assert.equal(await store.registry.setApiKeyActive(424_242, true), false);
    assert.equal(await store.registry.revokeApiKey(424_242), false);
  });
}

function describeApiKeyExpiryAndUse(test: StoreTest): void {
  test('a key keeps its expiry; setApiKeyExpiry changes and clears it but not the configured expiry, false for an unknown key', async (store) => {
    const key = await store.registry.createApiKey(apiKey({ expires_at: '2031-02-03T04:05:06.789Z' }));
    assert.deepEqual([key.expires_at, key.configured_expires_at], ['2031-02-03T04:05:06.789Z', '2031-02-03T04:05:06.789Z']);
    assert.equal((await store.registry.findApiKeyByHash(key.secret_hash))?.expires_at, '2031-02-03T04:05:06.789Z');
    assert.equal(await store.registry.setApiKeyExpiry(key.id, '2030-01-01T00:00:00.000Z'), true);
    assert.equal((await store.registry.listApiKeys())[0]?.expires_at, '2030-01-01T00:00:00.000Z');
    assert.equal((await store.registry.listApiKeys())[0]?.configured_expires_at, '2031-02-03T04:05:06.789Z');
    assert.equal(await store.registry.setApiKeyExpiry(key.id, null), true);
    assert.equal((await store.registry.findApiKeyByHash(key.secret_hash))?.expires_at, null);
    assert.equal((await store.registry.findApiKeyByHash(key.secret_hash))?.configured_expires_at, '2031-02-03T04:05:06.789Z');
    assert.equal(await store.registry.setApiKeyExpiry(424_242, null), false);
  });

  test('touchApiKeys sets last_used_at and never moves it backwards', async (store) => {
    const a = await store.registry.createApiKey(apiKey({ name: 'a', secret_hash: '1'.repeat(64) }));
    const b = await store.registry.createApiKey(apiKey({ name: 'b', secret_hash: '2'.repeat(64) }));
    const lastUsed = async (): Promise<Array<string | null>> => (await store.registry.listApiKeys()).map((k) => k.last_used_at);
    assert.deepEqual(await lastUsed(), [null, null]);
    await store.registry.touchApiKeys([{ id: a.id, at: '2026-05-01T10:00:00.000Z' }]);
    assert.deepEqual(await lastUsed(), ['2026-05-01T10:00:00.000Z', null]);
    // Older times (another instance flushing late) change nothing; an older duplicate in one call loses too.
    await store.registry.touchApiKeys([
      { id: a.id, at: '2026-04-30T23:59:59.999Z' },
      { id: b.id, at: '2026-05-02T00:00:00.000Z' },
      { id: b.id, at: '2026-05-01T00:00:00.000Z' },
      { id: 424_242, at: '2026-05-03T00:00:00.000Z' },
    ]);
    assert.deepEqual(await lastUsed(), ['2026-05-01T10:00:00.000Z', '2026-05-02T00:00:00.000Z']);
    // A later time moves it forward, across a year where plain text order of other forms would not.
    await store.registry.touchApiKeys([{ id: a.id, at: '2027-01-01T00:00:00.000Z' }]);
    await store.registry.touchApiKeys([]);
    assert.deepEqual(await lastUsed(), ['2027-01-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z']);
    assert.equal((await store.registry.findApiKeyByHash(a.secret_hash))?.last_used_at, '2027-01-01T00:00:00.000Z');
  });

  test('rotation through the registry: a new key with the same settings, the old one revoked or expiring', async (store) => {
    const product = await store.registry.createProduct({ name: 'P', versions: [] });
    const { key: old } = await createApiKeyUseCase(store.registry, {
      name: 'ci', capabilities: ['get_telemetry'], products: [product.id], allowedIps: ['10.0.0.0/8'], expiresAt: '2099-01-01',
    }, NO_AUDIT);
    const nowMs = Date.parse('2030-01-01T00:00:00.000Z');
    const graced = await rotateApiKey(store.registry, old.id, { graceSeconds: 60, nowMs: nowMs }, NO_AUDIT);
    assert.notEqual(graced.key.id, old.id);
    assert.notEqual(graced.key.secret_hash, old.secret_hash);
    const same = (k: ApiKey) => [k.name, k.capabilities, k.products, k.allowed_ips, k.revoked, k.active];
    assert.deepEqual(same(graced.key), same(old));
    assert.equal(graced.key.expires_at, '2099-01-01T00:00:00.000Z');
    const stored = await store.registry.findApiKeyByHash(old.secret_hash);
    assert.deepEqual([stored?.revoked, stored?.expires_at], [false, '2030-01-01T00:01:00.000Z']);
    const immediate = await rotateApiKey(store.registry, graced.key.id, { graceSeconds: 0, nowMs: nowMs }, NO_AUDIT);
    assert.equal((await store.registry.findApiKeyByHash(graced.key.secret_hash))?.revoked, true);
    assert.equal((await store.registry.findApiKeyByHash(immediate.key.secret_hash))?.revoked, false);
    await assert.rejects(rotateApiKey(store.registry, graced.key.id, { graceSeconds: 0, nowMs: nowMs }, NO_AUDIT), /revoked/);
    assert.equal((await store.registry.listApiKeys()).length, 3);
  });
}

function describeRotatedTwice(test: StoreTest): void {
  test('a key rotated twice: each new key keeps the old key\'s own expiry, never the grace of the first rotation', async (store) => {
    const nowMs = Date.parse('2030-01-01T00:00:00.000Z');
    const { key: never } = await createApiKeyUseCase(store.registry, { name: 'never' }, NO_AUDIT);
    const { key: dated } = await createApiKeyUseCase(store.registry, { name: 'dated', expiresAt: '2099-01-01' }, NO_AUDIT);
    for (const old of [never, dated]) {
      const first = await rotateApiKey(store.registry, old.id, { graceSeconds: 3600, nowMs: nowMs }, NO_AUDIT);
      const second = await rotateApiKey(store.registry, old.id, { graceSeconds: 3600, nowMs: nowMs + 60_000 }, NO_AUDIT);
      assert.deepEqual([first.key.expires_at, second.key.expires_at], [old.expires_at, old.expires_at], old.name);
      assert.equal((await store.registry.findApiKeyByHash(second.key.secret_hash))?.expires_at, old.expires_at, old.name);
      // The old key's grace is never pushed later by the second rotation.
      assert.equal(second.old.expires_at, '2030-01-01T01:00:00.000Z', old.name);
      assert.equal((await store.registry.findApiKeyByHash(old.secret_hash))?.expires_at, '2030-01-01T01:00:00.000Z', old.name);
      // Nor does the grace pass on through a new key rotated in turn.
      const third = await rotateApiKey(store.registry, second.key.id, { graceSeconds: 0, nowMs: nowMs + 120_000 }, NO_AUDIT);
      assert.equal(third.key.expires_at, old.expires_at, old.name);
    }
  });
}

function describeApiKeySignatureScheme(test: StoreTest): void {
  test('a key is created auto unless a scheme is given, and is found and listed with it', async (store) => {
    const auto = await store.registry.createApiKey(apiKey({ name: 'auto', secret_hash: '1'.repeat(64) }));
    const pinned = await store.registry.createApiKey(apiKey({ name: 'php', secret_hash: '2'.repeat(64), signature_scheme: 'getkeymanager-php' }));
    assert.deepEqual([auto.signature_scheme, pinned.signature_scheme], ['auto', 'getkeymanager-php']);
    assert.equal((await store.registry.findApiKeyByHash(pinned.secret_hash))?.signature_scheme, 'getkeymanager-php');
    assert.deepEqual((await store.registry.listApiKeys()).map((k) => k.signature_scheme), ['auto', 'getkeymanager-php']);
  });

  test('setApiKeySignatureScheme pins and unpins one key and nothing else; false for an unknown key', async (store) => {
    const a = await store.registry.createApiKey(apiKey({ name: 'a', secret_hash: '1'.repeat(64), expires_at: '2031-02-03T04:05:06.789Z' }));
    const b = await store.registry.createApiKey(apiKey({ name: 'b', secret_hash: '2'.repeat(64) }));
    for (const scheme of ['contract', 'getkeymanager-js', 'getkeymanager-php', 'auto'] as const) {
      assert.equal(await store.registry.setApiKeySignatureScheme(a.id, scheme), true);
      assert.deepEqual(await store.registry.findApiKeyByHash(a.secret_hash), { ...a, signature_scheme: scheme });
    }
    await store.registry.setApiKeySignatureScheme(a.id, 'getkeymanager-js');
    assert.deepEqual(await store.registry.listApiKeys(), [{ ...a, signature_scheme: 'getkeymanager-js' }, b]);
    assert.equal(await store.registry.setApiKeySignatureScheme(424_242, 'contract'), false);
  });

  test('rotation through the registry carries the pinned scheme to the new key', async (store) => {
    const { key: old } = await createApiKeyUseCase(store.registry, { name: 'proxied', signatureScheme: 'getkeymanager-php' }, NO_AUDIT);
    const rotated = await rotateApiKey(store.registry, old.id, { graceSeconds: 60 }, NO_AUDIT);
    assert.equal(rotated.key.signature_scheme, 'getkeymanager-php');
    assert.equal((await store.registry.findApiKeyByHash(rotated.key.secret_hash))?.signature_scheme, 'getkeymanager-php');
  });
}
