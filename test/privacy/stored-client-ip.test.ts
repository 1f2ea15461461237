import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientNetwork } from '../../src/model/client-network.js';
import { ClientIpPolicy } from '../../src/privacy/client-ip-policy.js';
import { dayKey, hashedIp, storedClientIp, truncatedIp } from '../../src/privacy/stored-client-ip.js';

const DAY_US = 86_400_000_000;
const JUNE_14_US = Date.UTC(2024, 5, 14, 10) * 1000;
const SECRET = Buffer.alloc(32, 7);

describe('truncated client IPs', () => {
  it('keeps the IPv4 /24 as a.b.c.0, whatever the spelling', () => {
    assert.equal(truncatedIp('203.0.113.77'), '203.0.113.0');
    assert.equal(truncatedIp('::ffff:203.0.113.77'), '203.0.113.0');
    assert.equal(truncatedIp('203.0.113.77:4431'), '203.0.113.0');
  });

  it('keeps the IPv6 /48 in canonical form', () => {
    assert.equal(truncatedIp('2001:db8:1234:5678::1'), '2001:db8:1234::');
    assert.equal(truncatedIp('2001:0DB8:0000:ffff::1'), '2001:db8::');
    assert.equal(truncatedIp('[2001:db8:a:b::1]:443'), '2001:db8:a::');
    assert.equal(truncatedIp('::1'), '::');
  });

  it('keeps nothing of what is not an address', () => {
    assert.equal(truncatedIp('unknown'), null);
    assert.equal(truncatedIp(''), null);
  });

  it('still counts as the network the full address is in', () => {
    for (const ip of ['203.0.113.77', '2001:db8:1234:5678::1']) assert.equal(clientNetwork(truncatedIp(ip)), clientNetwork(ip));
  });
});

describe('hashed client IPs', () => {
  const key = dayKey(SECRET, '2024-06-14');

  it('are marked hashed: and are not addresses', () => {
    const value = hashedIp('203.0.113.77', key);
    assert.match(value, /^hashed:[A-Za-z0-9_-]{22}$/);
    assert.equal(truncatedIp(value), null);
  });

  it('hash the network, so one /24 or /48 hashes alike within a day and another differently', () => {
    assert.equal(hashedIp('203.0.113.77', key), hashedIp('203.0.113.5', key));
    assert.equal(hashedIp('2001:db8:1:2::1', key), hashedIp('2001:db8:1:ffff::9', key));
    assert.notEqual(hashedIp('203.0.113.77', key), hashedIp('203.0.114.77', key));
  });

  it('change with the day\'s key and with the secret', () => {
    assert.notEqual(hashedIp('203.0.113.77', key), hashedIp('203.0.113.77', dayKey(SECRET, '2024-06-15')));
    assert.notEqual(hashedIp('203.0.113.77', key), hashedIp('203.0.113.77', dayKey(Buffer.alloc(32, 8), '2024-06-14')));
  });

  it('count as one network each in the insights, as stored', () => {
    const value = hashedIp('203.0.113.77', key);
    assert.equal(clientNetwork(value), value);
  });
});

describe('ClientIpPolicy', () => {
  it('stores per mode: full, truncated, hashed, none', () => {
    assert.equal(new ClientIpPolicy('full').stored('203.0.113.77', JUNE_14_US), '203.0.113.77');
    assert.equal(new ClientIpPolicy('truncated').stored('203.0.113.77', JUNE_14_US), '203.0.113.0');
    assert.equal(new ClientIpPolicy('none').stored('203.0.113.77', JUNE_14_US), null);
    const hashed = new ClientIpPolicy('hashed', SECRET);
    assert.equal(hashed.stored('203.0.113.77', JUNE_14_US), hashedIp('203.0.113.77', dayKey(SECRET, '2024-06-14')));
  });

  it('rotates the hash key at UTC midnight', () => {
    const hashed = new ClientIpPolicy('hashed', SECRET);
    const midnight = Date.UTC(2024, 5, 15) * 1000;
    assert.equal(hashed.stored('203.0.113.77', midnight - 1), hashed.stored('203.0.113.77', JUNE_14_US));
    assert.notEqual(hashed.stored('203.0.113.77', midnight), hashed.stored('203.0.113.77', midnight - 1));
    assert.equal(hashed.stored('203.0.113.77', midnight + DAY_US - 1), hashedIp('203.0.113.77', dayKey(SECRET, '2024-06-15')));
  });

  it('needs the secret for hashed mode', () => {
    assert.throws(() => new ClientIpPolicy('hashed'));
    assert.equal(storedClientIp('full', 'x', () => assert.fail('no key read in full mode')), 'x');
  });
});
