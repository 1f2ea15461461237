import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, CONTEXT, validReport } from './report-fixtures.js';

const NOW_US = CONTEXT.nowUs;
const DAY_US = 86_400_000_000;
const RANGE_MESSAGE = 'The reported at field must be a date between 2025-10-03T00:00:00Z and 2026-01-01T00:05:00Z.';

describe('reported_at on a report', () => {
  it('is stored from ISO-8601 (an offset honoured, fractions to the microsecond) and from Unix seconds', () => {
    assert.equal(check(validReport({ reported_at: '2025-12-31T23:00:00.123456Z' })).reported_at_us, NOW_US - 3_600_000_000 + 123_456);
    assert.equal(check(validReport({ reported_at: '2025-12-31T23:30:00+01:00' })).reported_at_us, NOW_US - 5_400_000_000);
    assert.equal(check(validReport({ reported_at: '2025-12-31' })).reported_at_us, NOW_US - DAY_US);
    assert.equal(check(validReport({ reported_at: String(NOW_US / 1_000_000 - 60) })).reported_at_us, NOW_US - 60_000_000);
    assert.equal(check(validReport({ reported_at: NOW_US / 1_000_000 - 60.5 })).reported_at_us, NOW_US - 60_500_000, 'a JSON number');
    const record = check(validReport({ reported_at: ' 2025-12-31T23:00:00Z ' }));
    assert.equal(record.is_correct_format, 1);
    assert.deepEqual(record.errors, {});
    assert.deepEqual({ ...record.metadata }, {}, 'a known field is never metadata');
  });

  it('is optional: absent, empty or blank is no time and no error', () => {
    for (const value of [undefined, '', '   ', null]) {
      const record = check(validReport(value === undefined ? {} : { reported_at: value }));
      assert.equal(record.reported_at_us, null);
      assert.deepEqual(record.errors, {});
      assert.equal('raw_reported_at' in record.metadata, false);
    }
  });

  it('accepts up to 5 minutes ahead of the server and up to 90 days old, both ends included', () => {
    assert.equal(check(validReport({ reported_at: '2026-01-01T00:05:00Z' })).reported_at_us, NOW_US + 300_000_000);
    assert.equal(check(validReport({ reported_at: '2025-10-03T00:00:00Z' })).reported_at_us, NOW_US - 90 * DAY_US);
  });

  it('stores a report more than 5 minutes ahead, or too old, with an error, no time and the value kept as raw_reported_at', () => {
    for (const sent of ['2026-01-01T00:05:00.001Z', '2025-10-02T23:59:59Z', '1700000000', '2099-01-01']) {
      const record = check(validReport({ reported_at: sent }));
      assert.equal(record.reported_at_us, null, sent);
      assert.equal(record.is_correct_format, 0);
      assert.equal(record.has_red_flags, 1);
      assert.deepEqual(record.errors, { reported_at: [RANGE_MESSAGE] });
      assert.equal(record.metadata['raw_reported_at'], sent);
    }
  });

  it('takes its oldest accepted age from --max-report-age-days', () => {
    const record = check(validReport({ reported_at: '2025-12-29T00:00:00Z' }), undefined, { maxReportAgeDays: 2 });
    assert.deepEqual(record.errors, { reported_at: ['The reported at field must be a date between 2025-12-30T00:00:00Z and 2026-01-01T00:05:00Z.'] });
    assert.equal(check(validReport({ reported_at: '2025-12-30T00:00:00Z' }), undefined, { maxReportAgeDays: 2 }).reported_at_us, NOW_US - 2 * DAY_US);
  });

  it('refuses what is not a date in the query grammar', () => {
    for (const sent of ['yesterday', '2025-02-30', '2025-12-31T25:00', '-5', '0x10', 'NaN', '2025-12-31T23:00:00Z trailing']) {
      const record = check(validReport({ reported_at: sent }));
      assert.deepEqual(record.errors, { reported_at: ['The reported at field must be a valid date.'] }, sent);
      assert.equal(record.reported_at_us, null);
      assert.equal(record.metadata['raw_reported_at'], sent);
    }
  });

  it('refuses an array (reported_at[]=…) as a field that must be a string, keeping it as sent', () => {
    const record = check(validReport({ reported_at: ['2025-12-31T23:00:00Z'] }));
    assert.deepEqual(record.errors, { reported_at: ['The reported at field must be a string.'] });
    assert.equal(record.reported_at_us, null);
    assert.deepEqual(record.metadata['raw_reported_at'], ['2025-12-31T23:00:00Z']);
  });

  it('lists its error after data_group and before event_id, in the contract order', () => {
    const record = check(validReport({ data_group: '', reported_at: 'soon', event_id: 'not-a-uuid', product_version: '' }));
    assert.deepEqual(Object.keys(record.errors), ['product_version', 'data_group', 'reported_at', 'event_id']);
  });
});
