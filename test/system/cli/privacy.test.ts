import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ADMIN_RECORD_KEYS } from '../../../src/query/record-shape.js';
import { exportRecord } from '../../query/export-fixtures.js';
import { tempTally, type TempTally } from './cli-helper.js';

const EVENT = '00000000-0000-4000-8000-000000000001';

/** alice: three records (one with an event id, one of product 2); bob: one. */
async function withPeople(t: TestContext): Promise<TempTally> {
  const tally = await tempTally(t);
  await tally.withStore((store) => store.telemetry.insertUnique([
    exportRecord(0, { user_identifier: 'alice', event_id: EVENT }),
    exportRecord(1, { user_identifier: 'alice' }),
    exportRecord(2, { user_identifier: 'alice', product_id: 2 }),
    exportRecord(3, { user_identifier: 'bob' }),
  ]));
  return tally;
}

const lines = (stdout: string): Record<string, unknown>[] => (stdout === '' ? [] : stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));

describe('tally privacy', () => {
  it('export streams every record of the user identifier as NDJSON, client_ip included; --product narrows', async (t) => {
    const tally = await withPeople(t);
    const all = await tally.run(['privacy', 'export', '--user-identifier', 'alice']);
    assert.equal(all.code, 0, all.stderr);
    const records = lines(all.stdout);
    assert.equal(records.length, 3);
    assert.deepEqual(Object.keys(records[0]!), [...ADMIN_RECORD_KEYS]);
    assert.equal(records[0]!['client_ip'], '203.0.113.9');
    assert.equal(lines((await tally.run(['privacy', 'export', '--user-identifier', 'alice', '--product', '2'])).stdout).length, 1);
    assert.equal((await tally.run(['privacy', 'export', '--user-identifier', 'nobody'])).stdout, '');
  });

  it('erase refuses without --yes when stdin is not a terminal, and erases nothing', async (t) => {
    const tally = await withPeople(t);
    const refused = await tally.run(['privacy', 'erase', '--user-identifier', 'alice']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--yes/);
    assert.equal(lines((await tally.run(['privacy', 'export', '--user-identifier', 'alice'])).stdout).length, 3);
  });

  it('erase --yes --json deletes the records and their event ids and prints the counts; others stay', async (t) => {
    const tally = await withPeople(t);
    assert.deepEqual(await tally.json(['privacy', 'erase', '--user-identifier', 'alice', '--yes']), { records: 3, event_ids: 1 });
    assert.equal((await tally.run(['privacy', 'export', '--user-identifier', 'alice'])).stdout, '');
    assert.equal(lines((await tally.run(['privacy', 'export', '--user-identifier', 'bob'])).stdout).length, 1);
    const [again] = await tally.withStore((store) => store.telemetry.insertUnique([exportRecord(9, { user_identifier: 'alice', event_id: EVENT })]));
    assert.equal(typeof again, 'number', 'the erased event id is stored again');
    const human = await tally.run(['privacy', 'erase', '--user-identifier', 'alice', '--yes']);
    assert.equal(human.stdout, 'Erased 1 record(s) and 1 event id(s).\n');
  });

  it('requires --user-identifier', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['privacy', 'export']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--user-identifier/);
  });
});
