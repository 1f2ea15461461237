import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hashesEqual, hashSecret, secretMatches } from '../../src/registry/secrets.js';

const hexHash = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });

describe('hashesEqual', () => {
  it('is true exactly when two hashes are the same text', () => {
    fc.assert(fc.property(hexHash, hexHash, (a, b) => hashesEqual(a, b) === (a === b)));
  });

  it('tells hashes apart that differ in one character only, wherever it is', () => {
    fc.assert(fc.property(hexHash, fc.nat(63), (hash, at) => {
      const other = hash.slice(0, at) + (hash[at] === '0' ? '1' : '0') + hash.slice(at + 1);
      return hashesEqual(hash, other) === false && hashesEqual(hash, hash.slice()) === true;
    }));
  });

  it('refuses a hash of another length, a prefix included', () => {
    const hash = hashSecret('tk_secret');
    assert.equal(hashesEqual(hash.slice(0, 32), hash), false);
    assert.equal(hashesEqual(hash, hash + '0'), false);
    assert.equal(hashesEqual('', hash), false);
  });

  it('matches a secret against its stored hash, and no other secret', () => {
    const stored = hashSecret('tk_right');
    assert.equal(secretMatches('tk_right', stored), true);
    assert.equal(secretMatches('tk_wrong', stored), false);
  });
});
