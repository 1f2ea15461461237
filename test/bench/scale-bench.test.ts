import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diskRefusal } from '../../bench/disk-space.js';
import { parseOptions } from '../../bench/options.js';
import { datasetName, scaleSpec } from '../../bench/scale-dataset.js';
import { scaleRecord } from '../../bench/scale-records.js';
import { distinctErrors, percentileErrors, relativeError } from '../../bench/sketch-error.js';
import { seededRandom } from '../../bench/summary-records.js';

describe('scale bench', () => {
  it('names a dataset by records and seed, adding machines and the PostgreSQL interval only when not the default', () => {
    const spec = scaleSpec({ records: 200_000, seed: 1, machines: null, partitionInterval: 'day' });
    assert.equal(spec.machines, 20_000);
    assert.equal(datasetName(spec, 'sqlite'), 'scale_200000_s1');
    assert.equal(datasetName(spec, 'postgres'), 'scale_200000_s1_day');
    assert.equal(datasetName({ ...spec, machines: 7, partitionInterval: 'month' }, 'postgres'), 'scale_200000_s1_m7');
  });

  it('reads the scale options and refuses an unknown partition interval', () => {
    const options = parseOptions(['reads', '--records', '1000', '--partition-interval', 'week', '--runs', '5']);
    assert.ok(options !== 'help');
    assert.deepEqual([options.suite, options.records, options.partitionInterval, options.runs, options.seed], ['reads', 1000, 'week', 5, 1]);
    assert.throws(() => parseOptions(['scale-data', '--partition-interval', 'hour']), /--partition-interval/);
  });

  it('makes the same records from the same seed, so a resumed chunk equals an uninterrupted one', () => {
    const make = (): unknown[] => { const random = seededRandom(42); return [0, 1, 2].map((i) => scaleRecord(i, 3, 1e15, 100, random)); };
    assert.deepEqual(make(), make());
  });

  it('refuses to generate when the estimate passes the free space less the margin', () => {
    assert.equal(diskRefusal('sqlite', 1_000_000, 80e9), null);
    assert.match(diskRefusal('postgres', 100_000_000, 60e9) ?? '', /refusing to generate/);
    assert.match(diskRefusal('sqlite', 1000, 4e9) ?? '', /refusing/, 'the 5 GB margin stays free');
  });

  it('measures sketched percentiles and distinct counts against exact ones, and says n/a while both are exact', () => {
    assert.equal(relativeError(110, 100), 0.1);
    assert.equal(relativeError(null, 100), null);
    const exact = { numeric: { percentiles: 'exact', p50: 100, p90: 200, p99: 400 } };
    assert.equal(percentileErrors('g', exact, exact).method, 'n/a (exact both ways)');
    assert.equal(percentileErrors('g', { numeric: { percentiles: 'tdigest' } }, null).method, 'n/a (no exact answer)');
    const sketched = percentileErrors('g', { numeric: { percentiles: 'ddsketch 1 %', p50: 101, p90: 198, p99: 400 } }, exact);
    assert.deepEqual(Object.keys(sketched.errors), ['p50', 'p90', 'p99']);
    assert.ok(Math.abs((sketched.errors['p50'] ?? 0) - 0.01) < 1e-9 && sketched.errors['p99'] === 0);
    const cells = (machines: number[]) => ({ series: machines.map((m, i) => ({ bucket: `2026-01-0${i + 1}`, key: '1.0.0', machines: m, users: m })) });
    const installs = distinctErrors('i', { distinct: 'hll p=14', ...cells([102, 50]) }, { distinct: 'exact', ...cells([100, 50]) });
    assert.ok(Math.abs((installs.errors['machines max'] ?? 0) - 0.02) < 1e-9 && Math.abs((installs.errors['users mean'] ?? 0) - 0.01) < 1e-9);
    assert.equal(distinctErrors('i', { distinct: 'exact', ...cells([1]) }, { distinct: 'exact', ...cells([1]) }).method, 'n/a (exact both ways)');
  });
});
