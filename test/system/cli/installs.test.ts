import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstallsAnswer } from '../../../src/query/installs.js';
import { seedFleet, storedRecords } from '../../insights/fleet.js';
import { installsTruth } from '../../insights/installs-truth.js';
import { tempTally } from './cli-helper.js';

const START_US = Date.UTC(2024, 0, 29) * 1000;

describe('tally installs', () => {
  it('prints the admin API\'s answer with --json and a table without, from the same counts', async (t) => {
    const tally = await tempTally(t);
    const fleet = await tally.withStore((store) => seedFleet(store, { seed: 3, machines: 20, days: 10, startUs: START_US }));
    const args = ['installs', '--product-id', String(fleet.productId), '--from', '2024-01-29', '--to', '2024-02-07', '--interval', 'week', '--by', 'version'];
    const answer = await tally.json<InstallsAnswer>(args);
    assert.deepEqual([answer.interval, answer.by, answer.from, answer.to], ['week', 'version', '2024-01-29T00:00:00.000000Z', '2024-02-07T23:59:59.999999Z']);
    const truth = installsTruth(storedRecords(fleet), { productId: fleet.productId, fromUs: START_US, toUs: START_US + 10 * 86_400_000_000 - 1, interval: 'week', by: 'version', maxKeys: 20 });
    assert.deepEqual({ totals: answer.totals, series: answer.series }, truth);
    assert.equal(answer.distinct, 'hll ±1.6%');
    const exact = await tally.json<InstallsAnswer>([...args, '--distinct', 'exact']);
    assert.deepEqual([exact.distinct, exact.totals, exact.series], ['exact', truth.totals, truth.series]);

    const table = await tally.run(args);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[1] ?? '', new RegExp(`^Total: ${truth.totals.machines} machines, ${truth.totals.users} users$`));
    assert.match(lines[2] ?? '', /^bucket\s+key\s+machines\s+users\s+new machines$/);
    assert.deepEqual(lines.slice(3).map((line) => line.split(/\s+/)), truth.series.map((r) => [r.bucket, r.key, String(r.machines), String(r.users), String(r.new_machines)]));
  });

  it('refuses a range of more than 400 buckets and an unknown interval, with a non-zero exit', async (t) => {
    const tally = await tempTally(t);
    const tooLong = await tally.run(['installs', '--product-id', '1', '--from', '2020-01-01', '--to', '2021-12-31']);
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, /spans 731 days; an answer holds at most 400 days/);
    const hourly = await tally.run(['installs', '--product-id', '1', '--interval', 'hour']);
    assert.notEqual(hourly.code, 0);
    assert.match(hourly.stderr, /Allowed choices are day, week, month/);
  });
});
