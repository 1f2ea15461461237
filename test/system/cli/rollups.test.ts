import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { randomRecords } from '../../store/rollup-contract.js';
import { tempTally } from './cli-helper.js';

interface CheckAnswer {
  from: string;
  to: string;
  days: number;
  mismatches: number;
  first: { table: string; key: Record<string, unknown>; problem: string }[];
}

describe('tally rollups', () => {
  it('check exits 0 when the rollups match the records, 1 with the mismatches when not; rebuild repairs them', async (t) => {
    const tally = await tempTally(t);
    await tally.withStore(async (store) => void (await store.telemetry.insertMany(randomRecords(5, 200).map((r, i) => ({ ...r, activation_identifier: `m-${i % 9}` })))));
    const clean = await tally.json<CheckAnswer>(['rollups', 'check']);
    assert.equal(clean.mismatches, 0);
    assert.ok(clean.days >= 4);
    assert.match(clean.from, /^2024-06-\d\dT00:00:00\.000000Z$/);

    const db = new Database(path.join(tally.dataDir, 'tally.db'));
    db.exec("UPDATE telemetry_rollups SET typed_n = typed_n + 2 WHERE span_us = 3600000000 AND data_group = 'g'");
    db.close();
    const damaged = await tally.run(['rollups', 'check', '--json', '--limit', '3']);
    assert.equal(damaged.code, 1, damaged.stderr);
    const answer = JSON.parse(damaged.stdout) as CheckAnswer;
    assert.ok(answer.mismatches > 3);
    assert.equal(answer.first.length, 3);
    assert.deepEqual(answer.first.map((m) => [m.table, m.key['span'], m.key['data_group']]), answer.first.map(() => ['telemetry_rollups', 'hour', 'g']));
    assert.match(answer.first[0]?.problem ?? '', /^typed_n \d+ ≠ \d+$/);
    const text = await tally.run(['rollups', 'check', '--from', '2024-06-11', '--to', '2024-06-11']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^Checked 1 days \(2024-06-11T00:00:00\.000000Z to 2024-06-11T23:59:59\.999999Z\)/);
    assert.match(text.stdout, /\d+ mismatches; the first 20:\ntelemetry_rollups \{"span":"hour"/);

    const rebuilt = await tally.json<{ days: number; hours: number }>(['rollups', 'rebuild']);
    assert.equal(rebuilt.hours, rebuilt.days * 24);
    const again = await tally.run(['rollups', 'check']);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /\nNo mismatch\.\n$/);
  });
});
