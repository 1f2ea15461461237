import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyPassword } from '../../../src/registry/accounts/passwords.js';
import { applyConfiguredAdminToken, adminTokenMatches } from '../../../src/registry/admin-token.js';
import { tempTally } from './cli-helper.js';
import { NO_AUDIT } from '../../audit-helpers.js';

interface Made { account: { id: number; name: string; role: string; products: number[] | null; disabled: boolean }; password: string | null }

describe('tally user', () => {
  it('creates an owner with a password from stdin, never printing it, and stores only a scrypt hash', async (t) => {
    const tally = await tempTally(t);
    // The default cost (the other tests run the CLI with the tests' low --password-hash-cost).
    const result = await tally.run(['user', 'create', '--name', 'Ops@Example.com', '--role', 'owner', '--password-stdin', '--json'], { stdin: 'a long password\n', env: { TALLY_PASSWORD_HASH_COST: '' } });
    assert.equal(result.code, 0, result.stderr);
    const made = JSON.parse(result.stdout) as Made;
    assert.deepEqual([made.account.name, made.account.role, made.account.products, made.password], ['Ops@Example.com', 'owner', null, null]);
    assert.ok(!result.stdout.includes('a long password'));
    await tally.withStore(async (store) => {
      const stored = await store.accounts.findByName('ops@example.com');
      assert.match(stored?.password_hash ?? '', /^\$scrypt\$ln=15,r=8,p=1\$/);
      assert.equal(await verifyPassword('a long password', stored?.password_hash ?? ''), true);
    });
  });

  it('generates a password when none is given and no one is at a terminal, printing it once; viewer by default', async (t) => {
    const tally = await tempTally(t);
    const product = await tally.json<{ id: number }>(['product', 'create', '--name', 'App']);
    const result = await tally.run(['user', 'create', '--name', 'viewer@example.com', '--products', String(product.id)]);
    assert.equal(result.code, 0, result.stderr);
    const password = result.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(result.stdout, /Created account 1: viewer@example.com \(viewer, products 1\)/);
    assert.match(password, /^[A-Za-z0-9_-]{20}$/);
    await tally.withStore(async (store) => assert.equal(await verifyPassword(password, (await store.accounts.findByName('viewer@example.com'))?.password_hash ?? ''), true));
    const json = await tally.json<Made>(['user', 'create', '--name', 'second@example.com']);
    assert.match(json.password ?? '', /^[A-Za-z0-9_-]{20}$/);
  });

  it('lists, updates by name or id, disables and enables; refuses leaving no enabled owner with a clear message', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'App']);
    await tally.json(['user', 'create', '--name', 'boss', '--role', 'owner']);
    await tally.json(['user', 'create', '--name', 'helper', '--role', 'admin']);
    const listed = await tally.json<{ accounts: { name: string }[] }>(['user', 'list']);
    assert.deepEqual(listed.accounts.map((a) => a.name), ['boss', 'helper']);
    assert.match((await tally.run(['user', 'list'])).stdout, /1\tenabled\towner\tboss\tall products\tlast login never/);
    const updated = await tally.json<Made['account']>(['user', 'update', 'HELPER', '--role', 'viewer', '--products', '1']);
    assert.deepEqual([updated.role, updated.products], ['viewer', [1]]);
    assert.equal((await tally.json<Made['account']>(['user', 'update', '2', '--all-products', '--name', 'Helper2'])).products, null);
    for (const args of [['user', 'update', 'boss', '--role', 'admin'], ['user', 'disable', 'boss']]) {
      const refused = await tally.run(args);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^error: This is the last enabled owner/);
    }
    assert.equal((await tally.json<Made['account']>(['user', 'disable', 'helper2'])).disabled, true);
    assert.equal((await tally.json<Made['account']>(['user', 'enable', 'helper2'])).disabled, false);
    const unknown = await tally.run(['user', 'disable', 'nobody']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No account named "nobody"/);
    assert.equal((await tally.run(['user', 'update', 'boss'])).code, 1, 'nothing to change');
    assert.equal((await tally.run(['user', 'create', '--name', 'BOSS'])).code, 1, 'names are unique whatever the case');
  });

  it('reset-password sets a new password (generated and printed once, or from stdin) and ends the sessions', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['user', 'create', '--name', 'lost', '--role', 'owner']);
    await tally.withStore((store) => store.accounts.createSession({ id_hash: 'h', account_id: 1, created_at_ms: 0, expires_at_ms: Date.now() + 60_000 }));
    const reset = await tally.json<Made>(['user', 'reset-password', 'lost']);
    assert.match(reset.password ?? '', /^[A-Za-z0-9_-]{20}$/);
    await tally.withStore(async (store) => {
      assert.equal(await store.accounts.findSession('h', Date.now()), null);
      assert.equal(await verifyPassword(reset.password ?? '', (await store.accounts.findByName('lost'))?.password_hash ?? ''), true);
    });
    const fromStdin = await tally.run(['user', 'reset-password', '1', '--password-stdin'], { stdin: 'recovered password' });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.ok(!fromStdin.stdout.includes('recovered password'));
    const short = await tally.run(['user', 'reset-password', '1', '--password-stdin'], { stdin: 'short' });
    assert.equal(short.code, 1);
    assert.match(short.stderr, /at least 10 characters/);
  });
});

describe('tally admin-token revoke', () => {
  it('stops the admin token from an earlier version and ends its sessions', async (t) => {
    const tally = await tempTally(t);
    const token = 'tly_admin_an-old-token-made-by-an-earlier-version';
    await tally.withStore(async (store) => {
      await applyConfiguredAdminToken(store.secrets, token, NO_AUDIT);
      await store.accounts.createSession({ id_hash: 'old', account_id: null, created_at_ms: 0, expires_at_ms: Date.now() + 60_000 });
    });
    assert.deepEqual(await tally.json(['admin-token', 'revoke']), { revoked: true, configured: false });
    await tally.withStore(async (store) => {
      assert.equal(await adminTokenMatches(store.secrets, token), false);
      assert.equal(await store.accounts.findSession('old', Date.now()), null);
    });
    assert.match((await tally.run(['admin-token', 'revoke'])).stdout, /There was no admin token/);
  });

  it('warns that a configured TALLY_ADMIN_TOKEN comes back on the next start', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['admin-token', 'revoke'], { env: { TALLY_ADMIN_TOKEN: 'x'.repeat(40) } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /TALLY_ADMIN_TOKEN \(or --admin-token\) is still set/);
  });
});
