import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipGroup } from '../../src/model/ip-group.js';

describe('ipGroup', () => {
  it('puts every address of one IPv6 /64 in one group, and the next /64 in another', () => {
    const group = ipGroup('2001:db8:1:2::1', 64);
    assert.equal(ipGroup('2001:db8:1:2:ffff:ffff:ffff:ffff', 64), group);
    assert.equal(ipGroup('2001:0db8:0001:0002:0:0:0:abcd', 64), group, 'however the address is written');
    assert.notEqual(ipGroup('2001:db8:1:3::1', 64), group);
  });

  it('keeps each IPv6 address apart at 128, and each IPv4 address apart always', () => {
    assert.notEqual(ipGroup('2001:db8::1', 128), ipGroup('2001:db8::2', 128));
    assert.notEqual(ipGroup('192.0.2.1', 64), ipGroup('192.0.2.2', 64));
    assert.equal(ipGroup('::ffff:192.0.2.1', 64), ipGroup('192.0.2.1', 64), 'an IPv4-mapped peer is its IPv4 address');
  });

  it('gives something short for anything that is not an address, however long', () => {
    assert.ok(ipGroup('x'.repeat(100_000), 64).length <= 16);
    assert.ok(ipGroup('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 128).length <= 40);
  });
});
