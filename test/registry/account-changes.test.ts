import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditContext, NewAuditEntry } from '../../src/model/audit.js';
import { createAccount, resetPassword, setAccountDisabled, updateAccount } from '../../src/registry/accounts/account-changes.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { TEST_PASSWORD_COST } from '../password-cost.js';

let store: Store;
let dir: string;
const entries: NewAuditEntry[] = [];
const audit: AuditContext = { log: { record: async (entry) => void entries.push(entry) }, actor: { kind: 'cli', accountId: null, name: 'cli:test', ip: null } };

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-account-changes-'));
  store = await openStore({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'NORMAL' });
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('account changes in the audit log', () => {
  it('records every change with its fields before and after, and a password only as "(changed)"', async () => {
    const deps = { accounts: store.accounts, registry: store.registry, passwordCost: TEST_PASSWORD_COST };
    const product = await store.registry.createProduct({ name: 'P', versions: [] });
    await createAccount(deps, { name: 'owner', role: 'owner', products: null, password: 'owner password' }, audit);
    const { account } = await createAccount(deps, { name: 'ada', role: 'admin', products: null, password: 'secret password 1' }, audit);
    await updateAccount(deps, account.id, { role: 'viewer', products: [product.id] }, audit);
    await setAccountDisabled(store.accounts, account.id, true, audit);
    await setAccountDisabled(store.accounts, account.id, false, audit);
    const reset = await resetPassword(deps, account.id, null, audit);
    assert.deepEqual(entries.map((e) => e.action), ['account.create', 'account.create', 'account.update', 'account.disable', 'account.enable', 'account.reset_password']);
    assert.deepEqual(entries[2]?.changes, { role: { before: 'admin', after: 'viewer' }, products: { before: null, after: [product.id] } });
    assert.deepEqual(entries[3]?.changes, { disabled: { before: false, after: true } });
    assert.deepEqual(entries[5]?.changes, { password: { before: null, after: '(changed)' } });
    assert.deepEqual(entries[1]?.changes['password'], { before: null, after: '(changed)' });
    assert.ok(entries.every((e) => e.targetType === 'account' && e.actor.name === 'cli:test'));
    const text = JSON.stringify(entries);
    for (const secret of ['secret password 1', 'owner password', reset.password ?? 'x', 'scrypt']) assert.ok(!text.includes(secret), `${secret} is not in the audit log`);
  });
});
