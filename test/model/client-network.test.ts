import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clientNetwork } from '../../src/model/client-network.js';
import { compareVersions } from '../../src/model/version-order.js';

describe('clientNetwork', () => {
  it('puts IPv4 addresses of one /24 in one network, mapped or not', () => {
    assert.equal(clientNetwork('10.0.1.5'), clientNetwork('10.0.1.200'));
    assert.equal(clientNetwork('::ffff:10.0.1.7'), clientNetwork('10.0.1.5'));
    assert.equal(clientNetwork('::FFFF:10.0.1.7'), clientNetwork('10.0.1.5'));
    assert.notEqual(clientNetwork('10.0.2.5'), clientNetwork('10.0.1.5'));
  });

  it('puts IPv6 addresses of one /48 in one network, whatever the case or compression', () => {
    assert.equal(clientNetwork('2001:db8:1:2::1'), clientNetwork('2001:DB8:1:ffff::5'));
    assert.equal(clientNetwork('2001:db8::1'), clientNetwork('2001:db8:0:1:2:3:4:5'));
    assert.notEqual(clientNetwork('2001:db8:2::1'), clientNetwork('2001:db8:1::1'));
  });

  it('counts no network for a missing or unreadable address', () => {
    for (const ip of [null, 'not-an-ip', ':::1', '[2001:db8::1]:443', '']) assert.equal(clientNetwork(ip), null, String(ip));
  });
});

describe('compareVersions', () => {
  it('orders digits as numbers, then the rest as text', () => {
    const versions = ['1.10.0', '2.1.0-beta', '1.2.0', '2.1.0', '1.0.0', 'beta'];
    assert.deepEqual(versions.sort(compareVersions), ['1.0.0', '1.2.0', '1.10.0', '2.1.0', '2.1.0-beta', 'beta']);
  });
});
