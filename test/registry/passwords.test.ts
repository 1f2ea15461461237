import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, generatePassword, hashCost, hashNeedsUpgrade, hashPassword, PASSWORD_COST, verifyPassword } from '../../src/registry/accounts/passwords.js';
import { RegistryInputError } from '../../src/model/errors.js';

describe('password hashing', () => {
  it('hashes with scrypt N=2^15, r=8, p=1 by default, and the stored string carries those parameters', async () => {
    assert.deepEqual(PASSWORD_COST, { ln: 15, r: 8, p: 1 });
    const stored = await hashPassword('correct horse battery');
    assert.match(stored, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.deepEqual(hashCost(stored), { ln: 15, r: 8, p: 1 });
    assert.equal(hashNeedsUpgrade(stored), false);
  });

  it('verifies the right password and refuses a wrong one, an empty one and a malformed hash', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(await verifyPassword('', stored), false);
    assert.equal(await verifyPassword('correct horse battery', 'not a hash'), false);
    assert.equal(await verifyPassword('correct horse battery', stored.replace('ln=15', 'ln=99')), false);
  });

  it('salts every hash: the same password hashes differently each time, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    assert.notEqual(a, b);
    assert.notEqual(a.split('$')[3], b.split('$')[3]);
    assert.equal(await verifyPassword('same password', a), true);
    assert.equal(await verifyPassword('same password', b), true);
  });

  it('a hash made with a lower cost still verifies, and asks to be upgraded', async () => {
    const cheap = await hashPassword('an older password', { ln: 10, r: 8, p: 1 });
    assert.match(cheap, /^\$scrypt\$ln=10,r=8,p=1\$/);
    assert.equal(await verifyPassword('an older password', cheap), true);
    assert.equal(hashNeedsUpgrade(cheap), true);
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
