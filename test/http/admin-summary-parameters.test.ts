import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldErrors } from '../../src/model/record.js';
import { summaryRequest, type ParsedSummaryRequest, type SummaryRequest } from '../../src/query/summary-request.js';
import { textReader } from '../../src/http/plugins/admin/text-reader.js';
import { summaryParams } from '../../src/http/routes/admin/summary.js';
import { SummaryQuery } from '../../src/http/schemas/summary.js';

const NOW_US = Date.UTC(2024, 2, 1, 12) * 1000;
const DAY_US = 86_400_000_000;

/** The query string as the admin API reads it (its schema, then the use case's range). */
function parseSummaryRequest(query: Record<string, unknown>, nowUs: number): ParsedSummaryRequest | { ok: false; errors: FieldErrors } {
  const read = textReader(SummaryQuery, true)(query);
  return read.ok ? summaryRequest(summaryParams(read.value as SummaryQuery), nowUs, 90) : read;
}

function parsed(query: Record<string, unknown>): SummaryRequest {
  const result = parseSummaryRequest(query, NOW_US);
  assert.ok(result.ok, JSON.stringify(result));
  return result.request;
}

describe('summary parameters', () => {
  it('default to the 30 days before now, 20 buckets, 1000 points and the top 20', () => {
    const request = parsed({ product_id: '7', data_group: ' g ' });
    assert.deepEqual(request, {
      productId: 7, dataGroup: 'g', fromUs: NOW_US - 30 * DAY_US, toUs: NOW_US,
      // The record-time range, and the created_at range that holds it (5 minutes before, 90 days after).
      filter: {
        productIds: [7], dataGroup: 'g', recordFromUs: NOW_US - 30 * DAY_US, recordToUs: NOW_US,
        fromUs: NOW_US - 30 * DAY_US - 300_000_000, toUs: NOW_US + 90 * DAY_US, productVersion: undefined, flags: undefined,
      },
      options: { buckets: 20, points: 1000, top: 20 },
    });
  });

  it('read to as the end of the unit it names, and from alone as running until now', () => {
    const day = parsed({ product_id: '1', data_group: 'g', from: '2024-02-01', to: '2024-02-27' });
    assert.equal(day.fromUs, Date.UTC(2024, 1, 1) * 1000);
    assert.equal(day.toUs, Date.UTC(2024, 1, 28) * 1000 - 1);
    const unix = parsed({ product_id: '1', data_group: 'g', from: '1708999044' });
    assert.deepEqual([unix.fromUs, unix.toUs], [1708999044 * 1_000_000, NOW_US]);
  });

  it('ending at `to` alone, cover the 30 days before it', () => {
    const request = parsed({ product_id: '1', data_group: 'g', to: '2024-02-27T00:00:00Z' });
    assert.equal(request.toUs, Date.UTC(2024, 1, 27) * 1000 + 999_999, 'the whole second');
    assert.equal(request.toUs - request.fromUs, 30 * DAY_US);
  });

  it('pass product_version and has_red_flags on to the filter', () => {
    const request = parsed({ product_id: '1', data_group: 'g', product_version: '1.0.0', has_red_flags: '0', buckets: '5', points: '2', top: '100' });
    assert.equal(request.filter.productVersion, '1.0.0');
    assert.deepEqual(request.filter.flags, { has_red_flags: 0 });
    assert.deepEqual(request.options, { buckets: 5, points: 2, top: 100 });
  });

  it('ask for exact percentiles with percentiles=exact, and refuse any other value', () => {
    assert.equal(parsed({ product_id: '1', data_group: 'g', percentiles: 'exact' }).options.exact, true);
    const other = parseSummaryRequest({ product_id: '1', data_group: 'g', percentiles: 'sketch' }, NOW_US);
    assert.equal(other.ok, false);
    assert.ok(!other.ok && 'percentiles' in other.errors, JSON.stringify(other));
  });

  it('read has_red_flags as 1, 0, true or false', () => {
    const flags = ['1', '0', 'true', 'false', ' true '].map((word) => parsed({ product_id: '1', data_group: 'g', has_red_flags: word }).filter.flags);
    assert.deepEqual(flags, [{ has_red_flags: 1 }, { has_red_flags: 0 }, { has_red_flags: 1 }, { has_red_flags: 0 }, { has_red_flags: 1 }]);
  });

  it('take a data group and product version of any length, as records store them', () => {
    const long = 'g'.repeat(20_000);
    const request = parsed({ product_id: '1', data_group: long, product_version: long });
    assert.deepEqual([request.dataGroup, request.filter.productVersion], [long, long]);
  });

  it('report every problem at once, per parameter, in parameter order', () => {
    const result = parseSummaryRequest({ zzz: '1', top: '0', data_group: '', product_id: '-1' }, NOW_US);
    assert.equal(result.ok, false);
    assert.deepEqual(Object.keys(result.ok ? {} : result.errors), ['product_id', 'data_group', 'top', 'zzz']);
  });
});
