import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCrashStore, describeRun, runCrashScenario, type CrashRunOptions, type CrashStore } from './crash-driver.js';

const KILLS = 5;

/** One way of sending load: its options, and the answer code that acknowledges it. */
interface LoadShape {
  name: string;
  options: Omit<CrashRunOptions, 'kills' | 'log'>;
  acknowledgedCode: 830 | 840;
}

const SHAPES: readonly LoadShape[] = [
  { name: 'report', options: { clients: 32, acknowledgedBetweenKills: [100, 600] }, acknowledgedCode: 830 },
  // Batches of 150: on SQLite they commit on the writer thread (decision 0017), killed mid-commit too.
  { name: 'report of batch requests', options: { clients: 4, batchSize: 150, acknowledgedBetweenKills: [600, 1800] }, acknowledgedCode: 840 },
];

/** The CI-sized crash test on one backend: 5 SIGKILLs under full-speed ingest, then the verdict, for single reports and for batches. */
export function describeCrashTest(backend: 'sqlite' | 'postgres', label: string): void {
  describe(`SIGKILL during full-speed ingest on ${label}`, () => {
    const stores: CrashStore[] = [];
    after(async () => {
      for (const store of stores) await store.dispose();
    });

    for (const shape of SHAPES) {
      it(`stores every acknowledged ${shape.name} exactly once across ${KILLS} kills and restarts`, async (t) => {
        const store = await createCrashStore(backend);
        stores.push(store);
        const result = await runCrashScenario(store, { ...shape.options, kills: KILLS, log: (line) => t.diagnostic(line) });
        t.diagnostic(describeRun(result));
        assert.equal(result.kills, KILLS);
        assert.deepEqual(result.lost, [], 'no acknowledged report is lost');
        assert.deepEqual(result.duplicated, [], 'no report is stored twice');
        assert.equal(result.load.missingRetryAfter, 0, 'every 503 carries Retry-After');
        const expected = [`200/${shape.acknowledgedCode}`, '503/503'];
        const unexpected = [...result.load.answers.keys()].filter((k) => !expected.includes(k));
        assert.deepEqual(unexpected, [], `only ${shape.acknowledgedCode} and 503 answers`);
        assert.ok(result.acknowledged >= KILLS * shape.options.acknowledgedBetweenKills[0]);
      });
    }
  });
}
