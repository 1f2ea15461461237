import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import { describe, it } from 'node:test';
import { parseClientIp } from '../../src/model/client-ip.js';
import { IpPrefixSet, isIpOrCidr, parseIp } from '../../src/model/ip-prefix-set.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function ipv4(next: () => number): string {
  return [0, 1, 2, 3].map(() => Math.floor(next() * 4) * 64 + Math.floor(next() * 2)).join('.');
}

function ipv6(next: () => number): string {
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map(() => (next() < 0.5 ? 0 : Math.floor(next() * 3)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

describe('IpPrefixSet', () => {
  it('parses the written forms of IPv6 to the same number', () => {
    const forms = [
      ['::', '0:0:0:0:0:0:0:0'], ['::1', '0:0:0:0:0:0:0:1'], ['1::', '1:0:0:0:0:0:0:0'], ['2001:db8::1:2', '2001:db8:0:0:0:0:1:2'],
      ['::ffff:1.2.3.4', '::ffff:102:304'], ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'], ['::1.2.3.4', '::102:304'],
    ];
    for (const [a, b] of forms) assert.equal(parseIp(a!)?.value, parseIp(b!)?.value, `${a} = ${b}`);
    assert.equal(parseIp('10.0.0.1')?.value, 167_772_161n);
    assert.equal(parseIp('nope'), null);
  });

  it('agrees with node:net BlockList on random networks and addresses, IPv4 and IPv6', () => {
    const next = random(42);
    for (let round = 0; round < 50; round++) {
      const set = new IpPrefixSet();
      const reference = new BlockList();
      for (let i = 0; i < 20; i++) {
        const v6 = next() < 0.5;
        const address = v6 ? ipv6(next) : ipv4(next);
        const prefix = Math.floor(next() * (v6 ? 129 : 33));
        set.add(`${address}/${prefix}`);
        reference.addSubnet(address, prefix, v6 ? 'ipv6' : 'ipv4');
      }
      for (let i = 0; i < 200; i++) {
        const v6 = next() < 0.5;
        const address = v6 ? ipv6(next) : ipv4(next);
        const parsed = parseIp(address);
        assert.ok(parsed, address);
        assert.equal(set.has(parsed), reference.check(address, v6 ? 'ipv6' : 'ipv4'), `round ${round}: ${address}`);
      }
    }
  });
});

describe('isIpOrCidr and parseClientIp', () => {
  it('accepts addresses and CIDRs of either family with a prefix in range, nothing else', () => {
    for (const entry of ['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '192.168.1.0/32', '::1', '2001:db8::/32', '::/0', '2001:db8::1/128']) {
      assert.equal(isIpOrCidr(entry), true, entry);
    }
    for (const entry of ['', 'nope', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/-1', '10.0.0.0/8x', '10.0.0.256', 'example.com/8']) {
      assert.equal(isIpOrCidr(entry), false, entry);
    }
  });

  it('reads an IPv4-mapped IPv6 peer as the IPv4 address it carries', () => {
    assert.deepEqual(parseClientIp('::ffff:10.1.2.3'), parseIp('10.1.2.3'));
    assert.deepEqual(parseClientIp('2001:db8::1'), parseIp('2001:db8::1'));
    assert.equal(parseClientIp('not an address'), null);
  });
});
