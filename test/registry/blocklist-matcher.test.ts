import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlocklistMatcher, type ReportIdentity } from '../../src/registry/blocklist-matcher.js';
import type { BlockEntry, NewBlockEntry } from '../../src/model/blocklist.js';

function entries(...list: NewBlockEntry[]): BlockEntry[] {
  return list.map((entry, i) => ({ ...entry, id: i + 1, created_at: '2026-01-01T00:00:00.000Z' }));
}

const who = (overrides: Partial<ReportIdentity> = {}): ReportIdentity => ({
  clientIp: '198.51.100.1', productId: 1, userIdentifier: 'u', licenseKey: 'k', ...overrides,
});

describe('BlocklistMatcher', () => {
  it('an empty list blocks nothing', () => {
    const matcher = new BlocklistMatcher([]);
    assert.equal(matcher.blocksReport(who()), false);
    assert.equal(matcher.blocksReader('198.51.100.1', []), false);
  });

  it('matches IPv4 and IPv6 addresses and CIDRs, and IPv4-mapped IPv6 peers against IPv4 entries', () => {
    const matcher = new BlocklistMatcher(entries(
      { kind: 'ip', value: '203.0.113.0/24', product_id: null, reason: null, ignore_case: false },
      { kind: 'ip', value: '2001:db8::1', product_id: null, reason: null, ignore_case: false },
    ));
    assert.equal(matcher.blocksReport(who({ clientIp: '203.0.113.77' })), true);
    assert.equal(matcher.blocksReport(who({ clientIp: '::ffff:203.0.113.77' })), true);
    assert.equal(matcher.blocksReport(who({ clientIp: '2001:db8:0:0:0:0:0:1' })), true);
    assert.equal(matcher.blocksReport(who({ clientIp: '2001:db8::2' })), false);
    assert.equal(matcher.blocksReport(who({ clientIp: '203.0.114.1' })), false);
    assert.equal(matcher.blocksReport(who({ clientIp: null })), false);
  });

  it('matches identifiers exactly, in their scope only', () => {
    const matcher = new BlocklistMatcher(entries(
      { kind: 'user_identifier', value: 'bad', product_id: null, reason: null, ignore_case: false },
      { kind: 'license_key', value: 'LEAK', product_id: 2, reason: null, ignore_case: false },
    ));
    assert.equal(matcher.blocksReport(who({ userIdentifier: 'bad' })), true);
    assert.equal(matcher.blocksReport(who({ userIdentifier: 'Bad' })), false);
    assert.equal(matcher.blocksReport(who({ licenseKey: 'LEAK', productId: 2 })), true);
    assert.equal(matcher.blocksReport(who({ licenseKey: 'LEAK', productId: 1 })), false);
    assert.equal(matcher.blocksReport(who({ licenseKey: 'LEAK', productId: null })), false);
    // A license key entry does not match the same text sent as a user identifier.
    assert.equal(matcher.blocksReport(who({ userIdentifier: 'LEAK', productId: 2 })), false);
  });

  it('refuses a reader whose IP is blocked for every product or for a product its key may read', () => {
    const matcher = new BlocklistMatcher(entries(
      { kind: 'ip', value: '10.0.0.1', product_id: null, reason: null, ignore_case: false },
      { kind: 'ip', value: '10.0.0.2', product_id: 2, reason: null, ignore_case: false },
      { kind: 'user_identifier', value: '10.0.0.3', product_id: null, reason: null, ignore_case: false },
    ));
    assert.equal(matcher.blocksReader('10.0.0.1', [1]), true);
    assert.equal(matcher.blocksReader('10.0.0.2', []), true);
    assert.equal(matcher.blocksReader('10.0.0.2', [2, 3]), true);
    assert.equal(matcher.blocksReader('10.0.0.2', [1]), false);
    assert.equal(matcher.blocksReader('10.0.0.3', []), false);
  });
});
