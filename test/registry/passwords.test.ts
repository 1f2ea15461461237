import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, decoyHash, generatePassword, hashCost, hashNeedsUpgrade, hashPassword, PASSWORD_COST, passwordCost, verifyPassword } from '../../src/registry/accounts/passwords.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { TEST_PASSWORD_COST } from '../password-cost.js';
import { RegistryInputError } from '../../src/model/errors.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLogin } from '../../src/registry/accounts/login.js';
import { openStore } from '../../src/store/open-store.js';

describe('password hashing', () => {
  it('hashes with scrypt N=2^15, r=8, p=1 by default, and the stored string carries those parameters', async () => {
    assert.deepEqual(PASSWORD_COST, { ln: 15, r: 8, p: 1 });
    const defaultCost = passwordCost(loadConfig({}, {}).passwordHashCost);
    assert.deepEqual(defaultCost, PASSWORD_COST);
    const stored = await hashPassword('correct horse battery', defaultCost);
    assert.match(stored, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.deepEqual(hashCost(stored), { ln: 15, r: 8, p: 1 });
    assert.equal(hashNeedsUpgrade(stored, PASSWORD_COST), false);
  });

  it('takes the cost of new hashes from --password-hash-cost / TALLY_PASSWORD_HASH_COST (log2 N, 10 to 20)', async () => {
    assert.equal(loadConfig({}, { TALLY_PASSWORD_HASH_COST: '12' }).passwordHashCost, 12);
    assert.equal(loadConfig({ passwordHashCost: '16' }, { TALLY_PASSWORD_HASH_COST: '12' }).passwordHashCost, 16);
    assert.throws(() => loadConfig({ passwordHashCost: 9 }, {}), ConfigError);
    assert.throws(() => loadConfig({ passwordHashCost: 21 }, {}), ConfigError);
    assert.deepEqual(passwordCost(12), { ln: 12, r: 8, p: 1 });
    assert.match(await hashPassword('correct horse battery', passwordCost(10)), /^\$scrypt\$ln=10,r=8,p=1\$/);
  });

  it('makes the decoy hash for unknown names at the configured cost, once per cost', async () => {
    assert.deepEqual(hashCost(await decoyHash(passwordCost(10))), { ln: 10, r: 8, p: 1 });
    assert.deepEqual(hashCost(await decoyHash(PASSWORD_COST)), PASSWORD_COST);
    assert.equal(await decoyHash(passwordCost(10)), await decoyHash(passwordCost(10)));
  });

  it('verifies the right password and refuses a wrong one, an empty one and a malformed hash', async () => {
    const stored = await hashPassword('correct horse battery', PASSWORD_COST);
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(await verifyPassword('', stored), false);
    assert.equal(await verifyPassword('correct horse battery', 'not a hash'), false);
    assert.equal(await verifyPassword('correct horse battery', stored.replace('ln=15', 'ln=99')), false);
  });

  it('salts every hash: the same password hashes differently each time, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', PASSWORD_COST), hashPassword('same password', PASSWORD_COST)]);
    assert.notEqual(a, b);
    assert.notEqual(a.split('$')[3], b.split('$')[3]);
    assert.equal(await verifyPassword('same password', a), true);
    assert.equal(await verifyPassword('same password', b), true);
  });

  it('a hash made with a lower cost still verifies, and asks to be upgraded', async () => {
    const cheap = await hashPassword('an older password', { ln: 10, r: 8, p: 1 });
    assert.match(cheap, /^\$scrypt\$ln=10,r=8,p=1\$/);
    assert.equal(await verifyPassword('an older password', cheap), true);
    assert.equal(hashNeedsUpgrade(cheap, PASSWORD_COST), true);
    assert.equal(hashNeedsUpgrade(cheap, passwordCost(10)), false);
  });

  it('refuses passwords shorter than 10 characters, and generates ones that pass', () => {
    assert.throws(() => checkPassword('short'), RegistryInputError);
    assert.throws(() => checkPassword('x'.repeat(1025)), RegistryInputError);
    checkPassword('ten chars!');
    const generated = generatePassword();
    assert.equal(generated.length, 20);
    checkPassword(generated);
    assert.notEqual(generatePassword(), generated);
  });
});

describe('login with a hash of an older cost', () => {
  it('logs in and replaces the hash with one of the configured cost (the default, 15)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-rehash-'));
    const store = await openStore({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'NORMAL' });
    try {
      await store.accounts.create({ name: 'old', role: 'owner', products: null, password_hash: await hashPassword('an older password', { ln: 10, r: 8, p: 1 }) });
      const outcome = await checkLogin(store.accounts, 'old', 'an older password', passwordCost(loadConfig({}, {}).passwordHashCost));
      assert.equal(outcome.ok, true);
      const stored = (await store.accounts.findByName('old'))?.password_hash ?? '';
      assert.deepEqual(hashCost(stored), PASSWORD_COST);
      assert.equal(await verifyPassword('an older password', stored), true);
      assert.equal((await checkLogin(store.accounts, 'old', 'wrong password', PASSWORD_COST)).ok, false);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('login with a hash of a higher cost than the configured one', () => {
  it('logs in and keeps the stored hash: a lower setting never weakens a stored hash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-rehash-'));
    const store = await openStore({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'NORMAL' });
    try {
      const made = await hashPassword('a stronger password', passwordCost(11));
      await store.accounts.create({ name: 'strong', role: 'owner', products: null, password_hash: made });
      assert.equal((await checkLogin(store.accounts, 'strong', 'a stronger password', TEST_PASSWORD_COST)).ok, true);
      assert.equal((await store.accounts.findByName('strong'))?.password_hash, made);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
