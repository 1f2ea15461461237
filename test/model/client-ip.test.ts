import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClientIp } from '../../src/model/client-ip.js';
import { parseIp } from '../../src/model/ip-prefix-set.js';

describe('parseClientIp', () => {
  it('reads every spelling of an IPv4 address, mapped or not, with a port or leading zeros, as that address', () => {
    const nine = parseIp('9.9.9.9');
    for (const spelling of [
      '9.9.9.9', '::FFFF:9.9.9.9', '0:0:0:0:0:ffff:9.9.9.9', '::ffff:909:909', '::FFFF:0909:0909', '9.9.9.9:1234', '[::ffff:9.9.9.9]:443',
      '[::ffff:9.9.9.9]', '009.009.009.009', ' 9.9.9.9 ',
    ]) assert.deepEqual(parseClientIp(spelling), nine, spelling);
  });

  it('reads IPv6 in any case, with brackets, a port or a zone, as the same address', () => {
    const ip = parseIp('2001:db8::1');
    for (const spelling of ['2001:DB8::1', '[2001:db8::1]:8443', '2001:db8:0:0:0:0:0:1%eth0']) assert.deepEqual(parseClientIp(spelling), ip, spelling);
  });

  it('gives null for what is not an address (the caller decides what that means)', () => {
    for (const text of ['', 'not-an-ip', '9.9.9', '0x9.9.9.9', '151587081', '256.1.1.1', '9.9.9.9.9', '9.9.9.9:', '[9.9.9.9', '0009.9.9.9']) {
      assert.equal(parseClientIp(text), null, text);
    }
  });
});
