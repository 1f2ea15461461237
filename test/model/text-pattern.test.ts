import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { textPattern } from '../../src/model/text-pattern.js';

describe('text patterns', () => {
  it('collapses what varies between reports of one event', () => {
    const cases: [string, string][] = [
      ['Unhandled exception at 0x7ffd3a2c', 'Unhandled exception at 0x<hex>'],
      ['Unhandled exception at 0x0040AB11', 'Unhandled exception at 0x<hex>'],
      ['timeout after 1500 ms', 'timeout after <n> ms'],
      ['took 12ms, retry -1.5', 'took <n>ms, retry <n>'],
      ['session 3f2504e0-4f89-11d3-9a0c-0305e82c3301 expired', 'session <uuid> expired'],
      ['mail to jane.doe+x@example.co.uk failed', 'mail to <email> failed'],
      ['connect 10.0.0.12 refused', 'connect <ip> refused'],
      ['connect 2001:db8::1 refused', 'connect <ip> refused'],
      ['cannot open C:\\Users\\jane\\AppData\\app.ini', 'cannot open <path>'],
      ['cannot open /home/jane/.config/app.ini: denied', 'cannot open <path> denied'],
      ['file="./data/x.bin"', 'file="<path>"'],
      ['commit 9fceb02d0ae598e95dc970b74767f19372d61af8 missing', 'commit <hex> missing'],
      ['version 3.0.1 started', 'version <n> started'],
    ];
    for (const [value, pattern] of cases) assert.equal(textPattern(value), pattern, value);
  });

  it('leaves words alone, digits glued to a letter included', () => {
    for (const value of ['linux', 'windows', 'utf8 x86_64', 'deadbeef', 'a/b', 'and/or', 'Settings > General']) {
      assert.equal(textPattern(value), value);
    }
  });

  it('keeps the time of day as numbers, not as an IPv6 address', () => {
    assert.equal(textPattern('at 10:04:31'), 'at <n>:<n>:<n>');
  });

  it('gives a value whose placeholder frees an earlier rule its final pattern at once', () => {
    // The number's placeholder gives the drive letter its word boundary: a second pass would find a path.
    assert.equal(textPattern('0A:\\'), '<n><path>');
    assert.equal(textPattern('9C:\\Users\\app.log'), '<n><path>');
  });

  it('is idempotent: a pattern is its own pattern', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (value) => {
      const once = textPattern(value);
      assert.equal(textPattern(once), once);
    }), { numRuns: 2000 });
  });

  it('gives one pattern to values that differ only in a number or a hex address', () => {
    fc.assert(fc.property(fc.nat(), fc.nat(), (a, b) => {
      assert.equal(textPattern(`error ${a} at 0x${b.toString(16)}`), textPattern(`error ${b} at 0x${a.toString(16)}`));
    }));
  });
});
