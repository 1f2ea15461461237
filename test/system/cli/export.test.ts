import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ADMIN_RECORD_KEYS, adminRecord } from '../../../src/query/record-shape.js';
import type { Store } from '../../../src/store/contract/store.js';
import { AWKWARD_TEXT, awkwardRecord, exportRecord } from '../../query/export-fixtures.js';
import { tempTally, type TempTally } from './cli-helper.js';

/** A data dir holding 1,100 plain records of group g (more than one export page; the CLI runner buffers at most 1 MB), then an awkward one, then one of product 2. */
async function withRecords(t: TestContext): Promise<{ tally: TempTally; ids: number[] }> {
  const tally = await tempTally(t);
  const ids = await tally.withStore(async (store: Store) => {
    const plain = await store.telemetry.insertMany(Array.from({ length: 1100 }, (_, i) => exportRecord(i)));
    const odd = await store.telemetry.insertMany([awkwardRecord(1100), exportRecord(1101, { product_id: 2 })]);
    return [...plain, ...odd];
  });
  return { tally, ids };
}

describe('tally export', () => {
  it('streams every matching record as NDJSON, one admin record (public record and client_ip) per line, across store pages', async (t) => {
    const { tally, ids } = await withRecords(t);
    const result = await tally.run(['export', '--format', 'ndjson', '--product-id', '1']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.endsWith('\n'));
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.map((r) => r['id']), ids.slice(0, 1101));
    const expected = await tally.withStore(async (store) => (await store.telemetry.query({ productIds: [1] }, { afterId: ids[1099]!, limit: 1 })).map(adminRecord));
    assert.deepEqual(lines[1100], expected[0]);
    assert.equal(lines[1100]?.['text_data'], AWKWARD_TEXT);
  });

  it('writes CSV with a header that csv-parse reads back to the very values, commas, quotes, newlines and unicode included', async (t) => {
    const { tally } = await withRecords(t);
    const result = await tally.run(['export', '--format', 'csv', '--has-red-flags', '1']);
    assert.equal(result.code, 0, result.stderr);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 1);
    assert.deepEqual(Object.keys(rows[0]!), [...ADMIN_RECORD_KEYS]);
    assert.equal(rows[0]!['text_data'], AWKWARD_TEXT);
    assert.equal(rows[0]!['user_identifier'], 'a,b');
    assert.deepEqual(JSON.parse(rows[0]!['errors']!), { text_data: ['bad, "really"'] });
    assert.deepEqual(JSON.parse(rows[0]!['metadata']!), { note: 'line\nbreak', n: [1, 'two'] });
    assert.equal(rows[0]!['numeric_data_single_value'], '');
    assert.equal(rows[0]!['has_red_flags'], '1');
  });

  it('applies the query filters given as flags: text, dates and after-id', async (t) => {
    const { tally, ids } = await withRecords(t);
    const byUser = await tally.run(['export', '--format', 'ndjson', '--user-identifier', 'user-7']);
    assert.deepEqual(byUser.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: number }).id), [ids[7]]);
    const from = '2024-02-27T00:00:00.001098Z';
    const byDate = await tally.run(['export', '--format', 'ndjson', '--from', from, '--to', '2024-02-27T00:00:00.001100Z', '--after-id', String(ids[1098])]);
    assert.deepEqual(byDate.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: number }).id), [ids[1099], ids[1100]]);
  });

  it('prints only a CSV header when nothing matches', async (t) => {
    const { tally } = await withRecords(t);
    const result = await tally.run(['export', '--format', 'csv', '--data-group', 'none']);
    assert.equal(result.stdout, ADMIN_RECORD_KEYS.join(',') + '\r\n');
  });

  it('exits 1 with the query API message for a malformed filter or format, printing nothing', async (t) => {
    const tally = await tempTally(t);
    const cases: [string[], RegExp][] = [
      [['--format', 'ndjson', '--has-red-flags', '2'], /The has red flags field must be 1, 0, true or false\./],
      [['--format', 'ndjson', '--from', 'yesterday'], /The from field must be a valid date\./],
      [['--format', 'ndjson', '--product-id', 'x'], /The product id field must be an integer\./],
      [['--format', 'xml'], /The selected format is invalid\./],
    ];
    for (const [args, message] of cases) {
      const result = await tally.run(['export', ...args]);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });

  it('exits 2 without --format', async (t) => {
    const tally = await tempTally(t);
    assert.equal((await tally.run(['export'])).code, 2);
  });
});
