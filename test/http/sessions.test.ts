import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { csrfTokenMatches, SESSION_TTL_MS, SessionStore } from '../../src/http/plugins/admin/sessions.js';
import { hashSecret } from '../../src/registry/secrets.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

let store: Store;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-sessions-'));
  store = await openStore({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'NORMAL' });
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('dashboard sessions', () => {
  it('finds a session by its id until it expires, then forgets it', async () => {
    let now = 1_000_000;
    const sessions = new SessionStore(store.accounts, () => now);
    const { id, session } = await sessions.create(null);
    assert.deepEqual(await sessions.find(id), session);
    now += SESSION_TTL_MS - 1;
    assert.deepEqual(await sessions.find(id), session);
    now += 1;
    assert.equal(await sessions.find(id), null);
  });

  it('keeps only the SHA-256 of the id in the database, with the account', async () => {
    const account = await store.accounts.create({ name: 'kept@example.com', role: 'viewer', products: null, password_hash: 'x' });
    const { id } = await new SessionStore(store.accounts).create(account);
    const stored = await store.accounts.findSession(hashSecret(id), Date.now());
    assert.equal(stored?.account_id, account.id);
    assert.equal(await store.accounts.findSession(id, Date.now()), null, 'the id itself is no key');
    assert.equal((await new SessionStore(store.accounts).find(id))?.account?.name, 'kept@example.com');
  });

  it('cleans expired sessions when a new one starts', async () => {
    let now = 5_000_000_000;
    const sessions = new SessionStore(store.accounts, () => now);
    const { id: old } = await sessions.create(null);
    now += SESSION_TTL_MS + 1;
    await sessions.create(null);
    assert.equal(await store.accounts.findSession(hashSecret(old), 0), null, 'the expired row is gone, whatever the time asked');
  });

  it('forgets a deleted session and never finds an unknown id', async () => {
    const sessions = new SessionStore(store.accounts);
    const { id } = await sessions.create(null);
    await sessions.delete(id);
    assert.equal(await sessions.find(id), null);
    assert.equal(await sessions.find('x'.repeat(43)), null);
  });

  it('matches only the session\'s own CSRF token, the same on every instance', async () => {
    const { id, session } = await new SessionStore(store.accounts).create(null);
    assert.equal(csrfTokenMatches(session, session.csrfToken), true);
    assert.equal((await new SessionStore(store.accounts).find(id))?.csrfToken, session.csrfToken);
    assert.equal(csrfTokenMatches(session, `${session.csrfToken}x`), false);
    assert.equal(csrfTokenMatches(session, undefined), false);
    assert.equal(csrfTokenMatches(session, ''), false);
  });
});
