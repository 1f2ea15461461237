import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { HyperLogLog } from '../../src/model/hyperloglog.js';
import { openStore } from '../../src/store/open-store.js';
import { describeWithPostgres } from '../postgres-helpers.js';
import { createCrashStore, type Backend, type CrashStore } from './crash/crash-driver.js';
import { Load, type ReportFields } from './crash/load.js';
import { startTally, stopTally, type TallyProcess } from './crash/tally-process.js';
import { assertRollupsAgree } from './rollups-agree.js';

const INSTANCES = 3;
/** Reports acknowledged per instance. */
const REPORTS = 300;
/** Machines shared by every instance: more than a sparse sketch holds (1,024), so sketches go dense and estimate. */
const MACHINES = 1500;
const DAY_US = 86_400_000_000;
/** The sketches' standard error is 1.6 %; three of them. */
const HLL_BOUND = 0.05;

/** The same product, group, version and hour from every instance, the same users, machines overlapping (each instance starts at `offset`). */
function sameKeys(productId: number, offset: number): ReportFields {
  return (n) => ({
    product_id: String(productId), license_key: 'L-1', user_identifier: `u-${n % 300}`, activation_identifier: `m-${(n * 7 + offset) % MACHINES}`, product_version: '1.0.0', data_group: 'shared',
    data_type: 'numeric-single-value', numeric_data_single_value: String(n % 97), os: n % 2 === 0 ? 'Linux' : 'Windows',
  });
}

function describeSeveralWriters(backend: Backend, label: string): void {
  describe(`${INSTANCES} tally serve processes on one ${label} database writing the same rollup keys`, () => {
    let store: CrashStore | null = null;
    after(async () => store?.dispose());

    it('leave rollups the check finds exact, sketches that merge into the union\'s sketch, and exact first-seen rows', async (t) => {
      store = await createCrashStore(backend);
      const startedUs = Date.now() * 1000;
      const tallies: TallyProcess[] = await Promise.all(Array.from({ length: INSTANCES }, () => startTally((store as CrashStore).target)));
      const loads = tallies.map((tally, i) => {
        // One instance takes batches, the others single reports.
        const load = new Load(store as CrashStore, i === 0 ? 2 : 8, `w${i}`, i === 0 ? 40 : 0, sameKeys((store as CrashStore).productId, i * 500));
        load.setUrl(tally.url);
        load.start();
        return load;
      });
      try {
        // A batch item's values arrive as JSON strings: many are answered 831 (stored, not counted as acknowledged here).
        await Promise.all(loads.map((load, i) => load.untilAcknowledged(i === 0 ? REPORTS / 4 : REPORTS, 60_000).catch((error: Error) => {
          throw new Error(`${error.message}; answers ${JSON.stringify([...load.tally.answers])}`);
        })));
      } finally {
        await Promise.all(loads.map((load) => load.stop()));
        await Promise.all(tallies.map((tally) => stopTally(tally)));
      }
      t.diagnostic(`ingest took ${Math.round(Date.now() - startedUs / 1000)} ms; answers ${loads.map((load) => JSON.stringify([...load.tally.answers])).join(' ')}`);
      const opened = await openStore(store.open);
      try {
        const toUs = Date.now() * 1000;
        await assertRollupsAgree(opened, [store.productId], ['shared'], startedUs, toUs, 'skip');
        t.diagnostic(`check and answers took ${Math.round(Date.now() - toUs / 1000)} ms`);
        const day = { fromUs: Math.floor(startedUs / DAY_US) * DAY_US, toUs: (Math.floor(toUs / DAY_US) + 1) * DAY_US - 1, interval: 'day' as const, by: 'none' as const, maxKeys: 20, productId: store.productId };
        const [hll, exact] = [await opened.telemetry.installs({ ...day, distinct: 'hll' }), await opened.telemetry.installs({ ...day, distinct: 'exact' })];
        const machines = new Set<string>();
        for (let afterId = 0; ;) {
          const page = await opened.telemetry.list({ afterId, limit: 5000 });
          if (page.length === 0) break;
          for (const record of page) if (record.activation_identifier !== null) machines.add(record.activation_identifier);
          afterId = page.at(-1)!.id;
        }
        const union = new HyperLogLog();
        for (const machine of machines) union.add(machine);
        assert.equal(exact.totals.machines, machines.size);
        assert.equal(hll.totals.machines, union.estimate(), 'the merged sketches are the sketch of the union');
        assert.ok(Math.abs(hll.totals.machines - machines.size) <= HLL_BOUND * machines.size, `${hll.totals.machines} machines estimated, ${machines.size} exactly`);
        const newMachines = (counts: typeof hll): number => counts.series.reduce((sum, row) => sum + row.new_machines, 0);
        assert.equal(newMachines(hll), machines.size, 'first-seen: every machine new exactly once');
        assert.deepEqual(hll.series.map((r) => [r.bucket, r.new_machines]).sort(), exact.series.map((r) => [r.bucket, r.new_machines]).sort());
      } finally {
        await opened.close();
      }
    });
  });
}

describeSeveralWriters('sqlite', 'SQLite');
await describeWithPostgres('several writers of the rollups', () => describeSeveralWriters('postgres', 'PostgreSQL'));
