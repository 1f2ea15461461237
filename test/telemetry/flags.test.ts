import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReportFacts } from '../../src/model/registry.js';
import { FLAG_NAMES, type ReportFlags } from '../../src/model/record.js';
import { ALL_FOUND, check, CONTEXT, NOTHING_FOUND, validReport } from './report-fixtures.js';

function flagsOf(facts: ReportFacts, input = validReport(), allowedProducts: number[] = []): ReportFlags {
  const record = check(input, facts, { allowedProducts });
  return Object.fromEntries(FLAG_NAMES.map((f) => [f, record[f]])) as unknown as ReportFlags;
}

const CLEAN: ReportFlags = {
  is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1,
  activation_exists: 1, license_active: 1, has_red_flags: 0,
};

describe('red flags', () => {
  it('raises no flag for an active, activated license on a released version', () => {
    assert.deepEqual(flagsOf(ALL_FOUND), CLEAN);
  });

  it('flags a blocked license as not active', () => {
    const facts = { ...ALL_FOUND, license: { status: 'blocked' as const, expires_at: null } };
    assert.deepEqual(flagsOf(facts), { ...CLEAN, license_active: 0, has_red_flags: 1 });
  });

  it('flags an expired license as not active, and a license expiring later as active', () => {
    const now = CONTEXT.nowUs / 1000;
    const expired = { ...ALL_FOUND, license: { status: 'active' as const, expires_at: new Date(now - 1000).toISOString() } };
    assert.deepEqual(flagsOf(expired), { ...CLEAN, license_active: 0, has_red_flags: 1 });
    const later = { ...ALL_FOUND, license: { status: 'active' as const, expires_at: new Date(now + 1000).toISOString() } };
    assert.deepEqual(flagsOf(later), CLEAN);
  });

  it('flags a made-up license key: it does not exist, so it is not active and has no activation', () => {
    const facts = { ...ALL_FOUND, license: null, activationExists: false };
    assert.deepEqual(flagsOf(facts), { ...CLEAN, license_key_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1 });
  });

  it('flags a skipped activation', () => {
    assert.deepEqual(flagsOf({ ...ALL_FOUND, activationExists: false }), { ...CLEAN, activation_exists: 0, has_red_flags: 1 });
  });

  it('flags a version that was never released', () => {
    assert.deepEqual(flagsOf({ ...ALL_FOUND, versionExists: false }), { ...CLEAN, product_version_exists: 0, has_red_flags: 1 });
  });

  it('flags an unknown product and everything that hangs off it', () => {
    const all0 = { is_correct_format: 0, product_exists: 0, license_key_exists: 0, product_version_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1 };
    assert.deepEqual(flagsOf(NOTHING_FOUND), all0);
  });

  it('treats a product outside the key scope like an unknown product, even when its license would match', () => {
    const flags = flagsOf(ALL_FOUND, validReport(), [2]);
    assert.equal(flags.product_exists, 0);
    assert.equal(flags.license_key_exists, 0);
    assert.equal(flags.has_red_flags, 1);
  });

  it('flags a report with a format error even when every registry check passes', () => {
    const flags = flagsOf(ALL_FOUND, validReport({ numeric_data_single_value: 'abc' }));
    assert.deepEqual(flags, { ...CLEAN, is_correct_format: 0, has_red_flags: 1 });
  });
});
