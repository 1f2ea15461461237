import assert from 'node:assert/strict';
import type { NewAuditEntry } from '../../src/model/audit.js';
import type { Store } from '../../src/store/contract/store.js';
import { DAY_US } from '../../src/model/clock.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const T0 = Date.UTC(2026, 0, 10) * 1000;

function entry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    actor: { kind: 'session', accountId: 7, name: 'ana@example.com', ip: '203.0.113.9' },
    action: 'license.create', targetType: 'license', targetId: '1', changes: { status: { before: null, after: 'active' } },
    ...overrides,
  };
}

/** The audit log part of the store contract (audit-store.ts, docs/audit.md). */
export function describeAuditContract(test: StoreTest): void {
  test('an entry is stored with its actor, time, target and changes, and read back newest first', async (store) => {
    const before = Date.now() * 1000;
    await store.audit.record(entry());
    await store.audit.record(entry({ action: 'license.update', changes: { status: { before: 'active', after: 'blocked' }, max_activations: { before: null, after: 3 } } }));
    const [newest, oldest, ...rest] = await store.audit.list({ limit: 10 });
    assert.deepEqual(rest, []);
    assert.ok(newest && oldest && newest.id > oldest.id);
    assert.deepEqual({ ...oldest, id: 0, at_us: 0 }, {
      id: 0, at_us: 0, actor: { kind: 'session', accountId: 7, name: 'ana@example.com', ip: '203.0.113.9' },
      action: 'license.create', target_type: 'license', target_id: '1', changes: { status: { before: null, after: 'active' } },
    });
    assert.deepEqual(newest.changes, { status: { before: 'active', after: 'blocked' }, max_activations: { before: null, after: 3 } });
    assert.ok(oldest.at_us >= before - 1_000_000 && oldest.at_us <= Date.now() * 1000 + 1_000_000);
  });

  test('a change to a field named like a secret, or to a value that looks like one, is stored as "(changed)"', async (store) => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n';
    await store.audit.record(entry({
      changes: {
        secret: { before: null, after: 'whsec_abcdefghijklmnopqrstuvwxyz' }, password: { before: 'old', after: 'new' }, token: { before: null, after: 'x' },
        key_hash: { before: 'a'.repeat(64), after: 'b'.repeat(64) }, secret_hash: { before: null, after: 'c' }, private_pem: { before: null, after: pem },
        key: { before: null, after: 'tly_0123456789abcdefghijABCDEFGHIJ' }, nested: { before: null, after: { deep: { password_hash: 'h', fine: 'kept' }, list: ['tly_0123456789abcdefghij_x'] } },
        status: { before: 'active', after: 'blocked' },
      },
    }));
    const [stored] = await store.audit.list({ limit: 1 });
    assert.deepEqual(stored?.changes, {
      secret: { before: null, after: '(changed)' }, password: { before: '(changed)', after: '(changed)' }, token: { before: null, after: '(changed)' },
      key_hash: { before: '(changed)', after: '(changed)' }, secret_hash: { before: null, after: '(changed)' }, private_pem: { before: null, after: '(changed)' },
      key: { before: null, after: '(changed)' }, nested: { before: null, after: { deep: { password_hash: '(changed)', fine: 'kept' }, list: ['(changed)'] } },
      status: { before: 'active', after: 'blocked' },
    });
  });

  test('entries are filtered by actor name or account id, action or its subject, target and time, and paged newest first', async (store) => {
    const cli = { kind: 'cli' as const, accountId: null, name: 'cli:ops', ip: null };
    await store.audit.recordMany([entry({ targetId: '1' }), entry({ actor: cli, action: 'license.import', targetId: '2' })], T0);
    await store.audit.recordMany([entry({ action: 'api_key.revoke', targetType: 'api_key', targetId: '1' }), entry({ action: 'licenses.odd', targetId: '3' })], T0 + DAY_US);
    const actions = async (query: Parameters<Store['audit']['list']>[0]): Promise<string[]> =>
      (await store.audit.list(query)).map((e) => `${e.action}:${e.target_id ?? ''}`);
    assert.deepEqual(await actions({ limit: 10 }), ['licenses.odd:3', 'api_key.revoke:1', 'license.import:2', 'license.create:1']);
    assert.deepEqual(await actions({ actor: 'cli:ops', limit: 10 }), ['license.import:2']);
    assert.deepEqual(await actions({ actor: '7', limit: 10 }), ['licenses.odd:3', 'api_key.revoke:1', 'license.create:1']);
    assert.deepEqual(await actions({ action: 'license', limit: 10 }), ['license.import:2', 'license.create:1']);
    assert.deepEqual(await actions({ action: 'license.', limit: 10 }), ['license.import:2', 'license.create:1']);
    assert.deepEqual(await actions({ action: 'license.create', limit: 10 }), ['license.create:1']);
    assert.deepEqual(await actions({ action: 'licen', limit: 10 }), []);
    assert.deepEqual(await actions({ targetType: 'license', targetId: '1', limit: 10 }), ['license.create:1']);
    assert.deepEqual(await actions({ fromUs: T0 + 1, limit: 10 }), ['licenses.odd:3', 'api_key.revoke:1']);
    assert.deepEqual(await actions({ toUs: T0 + 1, limit: 10 }), ['license.import:2', 'license.create:1']);
    assert.deepEqual(await actions({ fromUs: T0, toUs: T0, limit: 10 }), []);
    const [first, second] = await store.audit.list({ limit: 2 });
    assert.ok(second);
    assert.deepEqual(await actions({ beforeId: second.id, limit: 10 }), ['license.import:2', 'license.create:1']);
    assert.equal(first?.at_us, T0 + DAY_US);
  });

  test('recordMany stores many entries in their order, and nothing for none', async (store) => {
    await store.audit.recordMany([], T0);
    const many = Array.from({ length: 1203 }, (_, i) => entry({ targetId: String(i) }));
    await store.audit.recordMany(many, T0);
    const listed = await store.audit.list({ limit: 2000 });
    assert.equal(listed.length, 1203);
    assert.deepEqual(listed.map((e) => e.target_id), many.map((e) => e.targetId).reverse());
  });

  test('removeBefore deletes only the entries stamped before the cutoff', async (store) => {
    await store.audit.recordMany([entry({ targetId: 'old' }), entry({ targetId: 'old2' })], T0);
    await store.audit.recordMany([entry({ targetId: 'kept' })], T0 + DAY_US);
    assert.equal(await store.audit.removeBefore(T0), 0);
    assert.equal(await store.audit.removeBefore(T0 + DAY_US), 2);
    assert.deepEqual((await store.audit.list({ limit: 10 })).map((e) => e.target_id), ['kept']);
  });
}
