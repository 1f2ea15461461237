import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NewAuditEntry } from '../../src/model/audit.js';
import { NotFoundError, RegistryInputError } from '../../src/model/errors.js';
import { accessTokenPrincipal, createAccessToken, revokeAccessToken } from '../../src/registry/accounts/access-tokens.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

let store: Store;
let dataDir: string;
const entries: NewAuditEntry[] = [];
const audit = { log: { record: async (entry: NewAuditEntry) => void entries.push(entry) }, actor: { kind: 'cli' as const, accountId: null, name: 'cli:test', ip: null } };

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-pat-'));
  store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
});
after(async () => {
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const deps = () => ({ tokens: store.accessTokens, accounts: store.accounts });

describe('personal API token functions', () => {
  it('record a create and a revoke in the audit log, never with the secret', async () => {
    const account = await store.accounts.create({ name: 'ada', role: 'admin', products: [3], password_hash: 'x' });
    entries.length = 0;
    const { token, secret } = await createAccessToken(deps(), { accountId: account.id, name: ' ci ', expiresAt: '2999-01-01' }, audit);
    assert.equal(token.name, 'ci');
    assert.equal(token.expires_at, '2999-01-01T00:00:00.000Z');
    await revokeAccessToken(store.accessTokens, token.id, audit);
    await revokeAccessToken(store.accessTokens, token.id, audit);
    assert.deepEqual(entries.map((e) => [e.action, e.targetType, e.targetId]), [['access_token.create', 'access_token', String(token.id)], ['access_token.revoke', 'access_token', String(token.id)]]);
    assert.deepEqual(entries[0]?.changes, { account_id: { before: null, after: account.id }, name: { before: null, after: 'ci' }, expires_at: { before: null, after: '2999-01-01T00:00:00.000Z' } });
    assert.equal(JSON.stringify(entries).includes(secret), false);
    assert.equal(JSON.stringify(entries).includes(secret.slice(8)), false);
  });

  it('refuse an unknown or disabled account, an empty name and an expiry in the past', async () => {
    const account = await store.accounts.create({ name: 'bob', role: 'viewer', products: null, password_hash: 'x' });
    await assert.rejects(createAccessToken(deps(), { accountId: 999_999, name: 'x' }, audit), NotFoundError);
    await assert.rejects(createAccessToken(deps(), { accountId: account.id, name: '  ' }, audit), RegistryInputError);
    await assert.rejects(createAccessToken(deps(), { accountId: account.id, name: 'x', expiresAt: '2001-01-01' }, audit), /not in the future/);
    await assert.rejects(createAccessToken(deps(), { accountId: account.id, name: 'x', expiresAt: 'soon' }, audit), /ISO-8601/);
    await store.accounts.update(account.id, { disabled: true }, new Date().toISOString());
    await assert.rejects(createAccessToken(deps(), { accountId: account.id, name: 'x' }, audit), /disabled/);
  });

  it('give a token the account\'s principal, and nothing for a look-alike, a revoked or an expired one', async () => {
    const account = await store.accounts.create({ name: 'cy', role: 'viewer', products: [1, 2], password_hash: 'x' });
    const { token, secret } = await createAccessToken(deps(), { accountId: account.id, name: 'x', expiresAt: '2999-01-01' }, audit);
    assert.deepEqual(await accessTokenPrincipal(deps(), secret), { kind: 'token', accountId: account.id, name: 'cy', role: 'viewer', products: [1, 2] });
    assert.notEqual((await store.accessTokens.get(token.id))?.last_used_at, null);
    assert.equal(await accessTokenPrincipal(deps(), `${secret}x`), null);
    assert.equal(await accessTokenPrincipal(deps(), `tly_pat_${'A'.repeat(43)}`), null);
    assert.equal(await accessTokenPrincipal(deps(), secret, Date.parse('3000-01-01')), null, 'expired by then');
    await revokeAccessToken(store.accessTokens, token.id, audit);
    assert.equal(await accessTokenPrincipal(deps(), secret), null);
  });
});
