import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { firstOwnerHint } from '../../src/registry/accounts/first-start.js';
import { hashSecret } from '../../src/registry/secrets.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

let store: Store;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-first-start-'));
  store = await openStore({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'NORMAL' });
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('what the server says on start while there is no account', () => {
  it('not on a terminal: only the command to run, no secret', async () => {
    const hint = await firstOwnerHint(store.accounts, 'http://127.0.0.1:8080', false);
    assert.equal(hint, 'No accounts yet: make the first owner on this server with `tally user create --name NAME --role owner` (same --data-dir/--database-url as the server).');
  });

  it('on a terminal: a setup link whose code is stored only as a hash, valid for an hour, once', async () => {
    const hint = await firstOwnerHint(store.accounts, 'https://tally.example.com/', true);
    const code = /https:\/\/tally\.example\.com\/setup\?code=(tly_setup_[A-Za-z0-9_-]{43}) /.exec(hint ?? '')?.[1] ?? '';
    assert.notEqual(code, '', hint ?? '');
    assert.equal(await store.accounts.takeSetupCode(code, Date.now()), false, 'the code itself is not what is stored');
    assert.equal(await store.accounts.takeSetupCode(hashSecret(code), Date.now() + 61 * 60 * 1000), false, 'not after an hour');
    assert.equal(await store.accounts.takeSetupCode(hashSecret(code), Date.now()), true);
    assert.equal(await store.accounts.takeSetupCode(hashSecret(code), Date.now()), false, 'once');
  });

  it('says nothing once an account exists', async () => {
    await store.accounts.create({ name: 'someone', role: 'owner', products: null, password_hash: 'x' });
    assert.equal(await firstOwnerHint(store.accounts, 'http://127.0.0.1:8080', true), null);
  });
});
