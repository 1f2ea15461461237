import assert from 'node:assert/strict';
import type { Store } from '../../src/store/contract/store.js';
import type { NewAccount } from '../../src/store/contract/account-store.js';
import { DuplicateError } from '../../src/model/errors.js';
import { LastOwnerError } from '../../src/model/account-record.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const AT = '2026-01-02T03:04:05.678Z';

function account(name: string, overrides: Partial<NewAccount> = {}): NewAccount {
  return { name, role: 'owner', products: null, password_hash: `$scrypt$hash-of-${name}`, ...overrides };
}

/** The accounts part of the store contract (docs/accounts.md): accounts, sessions, setup codes; run on every backend. */
export function describeAccountContract(test: StoreTest): void {
  test('create returns the account without its hash; get and list read it back', async (store) => {
    const made = await store.accounts.create(account('ada@example.com', { role: 'viewer', products: [3, 1] }));
    assert.match(made.created_at, ISO);
    assert.deepEqual(made, {
      id: made.id, name: 'ada@example.com', role: 'viewer', products: [3, 1], disabled: false,
      created_at: made.created_at, updated_at: made.created_at, last_login_at: null,
    });
    assert.equal('password_hash' in made, false);
    assert.deepEqual(await store.accounts.get(made.id), made);
    assert.deepEqual(await store.accounts.list(), [made]);
    assert.equal(await store.accounts.count(), 1);
    assert.equal(await store.accounts.get(made.id + 100), null);
  });

  test('names are unique whatever their case, and found whatever their case, with the hash', async (store) => {
    const made = await store.accounts.create(account('Ada@Example.com'));
    await assert.rejects(store.accounts.create(account('ada@example.COM')), DuplicateError);
    const found = await store.accounts.findByName('ADA@example.com');
    assert.equal(found?.id, made.id);
    assert.equal(found?.name, 'Ada@Example.com');
    assert.equal(found?.password_hash, '$scrypt$hash-of-Ada@Example.com');
    assert.equal(await store.accounts.findByName('bob'), null);
  });

  test('createIfNone makes the first account only', async (store) => {
    const first = await store.accounts.createIfNone(account('first'));
    assert.equal(first?.name, 'first');
    assert.equal(await store.accounts.createIfNone(account('second')), null);
    assert.deepEqual((await store.accounts.list()).map((a) => a.name), ['first']);
  });

  test('createIfNone raced by many makes exactly one account', async (store) => {
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => store.accounts.createIfNone(account(`owner-${i}`))));
    assert.equal(made.filter((a) => a !== null).length, 1);
    assert.equal(await store.accounts.count(), 1);
  });

  test('update changes only the fields given, sets updated_at, and renames to a free name only', async (store) => {
    const owner = await store.accounts.create(account('owner'));
    const viewer = await store.accounts.create(account('viewer', { role: 'viewer' }));
    const changed = await store.accounts.update(viewer.id, { role: 'admin', products: [2] }, AT);
    assert.deepEqual(changed, { ...viewer, role: 'admin', products: [2], updated_at: AT });
    assert.deepEqual(await store.accounts.update(viewer.id, { products: null, name: 'Viewer2' }, AT), { ...viewer, name: 'Viewer2', role: 'admin', products: null, updated_at: AT });
    await assert.rejects(store.accounts.update(viewer.id, { name: 'OWNER' }, AT), DuplicateError);
    assert.equal(await store.accounts.update(owner.id + 100, { role: 'viewer' }, AT), null);
    await store.accounts.recordLogin(owner.id, AT);
    assert.equal((await store.accounts.get(owner.id))?.last_login_at, AT);
  });

  test('the last enabled owner cannot be demoted or disabled; with a second owner it can', async (store) => {
    const a = await store.accounts.create(account('a'));
    await assert.rejects(store.accounts.update(a.id, { role: 'admin' }, AT), LastOwnerError);
    await assert.rejects(store.accounts.update(a.id, { disabled: true }, AT), LastOwnerError);
    assert.deepEqual(await store.accounts.get(a.id), a);
    const b = await store.accounts.create(account('b'));
    assert.equal((await store.accounts.update(a.id, { disabled: true }, AT))?.disabled, true);
    await assert.rejects(store.accounts.update(b.id, { role: 'viewer' }, AT), LastOwnerError);
    assert.equal((await store.accounts.update(a.id, { disabled: false }, AT))?.disabled, false);
  });

  test('two owners demoted at once: one change wins, one owner is left', async (store) => {
    const a = await store.accounts.create(account('a'));
    const b = await store.accounts.create(account('b'));
    const results = await Promise.allSettled([store.accounts.update(a.id, { role: 'viewer' }, AT), store.accounts.update(b.id, { role: 'viewer' }, AT)]);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    assert.equal((await store.accounts.list()).filter((x) => x.role === 'owner').length, 1);
  });

  test('a session is found with its account until it expires or is deleted', async (store) => {
    const owner = await store.accounts.create(account('owner'));
    await store.accounts.createSession({ id_hash: 'h1', account_id: owner.id, created_at_ms: 1000, expires_at_ms: 5000 });
    await store.accounts.createSession({ id_hash: 'h2', account_id: null, created_at_ms: 1000, expires_at_ms: 5000 });
    assert.deepEqual(await store.accounts.findSession('h1', 4999), { id_hash: 'h1', account_id: owner.id, created_at_ms: 1000, expires_at_ms: 5000, account: owner });
    assert.deepEqual(await store.accounts.findSession('h2', 4999), { id_hash: 'h2', account_id: null, created_at_ms: 1000, expires_at_ms: 5000, account: null });
    assert.equal(await store.accounts.findSession('h1', 5000), null);
    assert.equal(await store.accounts.findSession('nope', 0), null);
    await store.accounts.deleteSession('h1');
    assert.equal(await store.accounts.findSession('h1', 0), null);
  });

  test('disabling an account or setting its password ends its sessions; other changes keep them', async (store) => {
    const owner = await store.accounts.create(account('owner'));
    const admin = await store.accounts.create(account('admin', { role: 'admin' }));
    const start = async (hash: string, id: number): Promise<void> => store.accounts.createSession({ id_hash: hash, account_id: id, created_at_ms: 0, expires_at_ms: 10_000 });
    await start('a1', admin.id);
    await start('o1', owner.id);
    await store.accounts.update(admin.id, { role: 'viewer', products: [1] }, AT);
    assert.equal((await store.accounts.findSession('a1', 1))?.account?.role, 'viewer');
    await store.accounts.update(admin.id, { disabled: true }, AT);
    assert.equal(await store.accounts.findSession('a1', 1), null);
    await store.accounts.update(admin.id, { disabled: false }, AT);
    await start('a2', admin.id);
    await store.accounts.update(admin.id, { password_hash: '$scrypt$new' }, AT);
    assert.equal(await store.accounts.findSession('a2', 1), null);
    assert.equal((await store.accounts.findByName('admin'))?.password_hash, '$scrypt$new');
    assert.notEqual(await store.accounts.findSession('o1', 1), null);
  });

  test('deleteSessionsOf ends one account\'s sessions, or with null the admin-token ones; expired ones are cleaned', async (store) => {
    const owner = await store.accounts.create(account('owner'));
    await store.accounts.createSession({ id_hash: 'o', account_id: owner.id, created_at_ms: 0, expires_at_ms: 10_000 });
    await store.accounts.createSession({ id_hash: 't1', account_id: null, created_at_ms: 0, expires_at_ms: 10_000 });
    await store.accounts.createSession({ id_hash: 't2', account_id: null, created_at_ms: 0, expires_at_ms: 100 });
    assert.equal(await store.accounts.deleteExpiredSessions(100), 1);
    assert.equal(await store.accounts.deleteSessionsOf(null), 1);
    assert.notEqual(await store.accounts.findSession('o', 1), null);
    assert.equal(await store.accounts.deleteSessionsOf(owner.id), 1);
    assert.equal(await store.accounts.findSession('o', 1), null);
  });

  test('a setup code is taken once, and not after it expired', async (store) => {
    await store.accounts.saveSetupCode('c1', 5000);
    await store.accounts.saveSetupCode('c2', 5000);
    assert.equal(await store.accounts.takeSetupCode('c1', 4999), true);
    assert.equal(await store.accounts.takeSetupCode('c1', 4999), false);
    assert.equal(await store.accounts.takeSetupCode('c2', 5000), false);
    assert.equal(await store.accounts.takeSetupCode('unknown', 0), false);
  });
}
