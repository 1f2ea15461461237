import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCrashStore, describeRun, runCrashScenario, type CrashStore } from './crash-driver.js';

const KILLS = 5;

/** The CI-sized crash test on one backend: 5 SIGKILLs under full-speed ingest, then the verdict. */
export function describeCrashTest(backend: 'sqlite' | 'postgres', label: string): void {
  describe(`SIGKILL during full-speed ingest on ${label}`, () => {
    const stores: CrashStore[] = [];
    after(async () => {
      for (const store of stores) await store.dispose();
    });

    it(`stores every acknowledged report exactly once across ${KILLS} kills and restarts`, async (t) => {
      const store = await createCrashStore(backend);
      stores.push(store);
      const result = await runCrashScenario(store, { kills: KILLS, clients: 32, acknowledgedBetweenKills: [100, 600], log: (line) => t.diagnostic(line) });
      t.diagnostic(describeRun(result));
      assert.equal(result.kills, KILLS);
      assert.deepEqual(result.lost, [], 'no acknowledged report is lost');
      assert.deepEqual(result.duplicated, [], 'no report is stored twice');
      assert.equal(result.load.missingRetryAfter, 0, 'every 503 carries Retry-After');
      const unexpected = [...result.load.answers.keys()].filter((k) => !['200/830', '503/503'].includes(k));
      assert.deepEqual(unexpected, [], 'only 830 and 503 answers');
      assert.ok(result.acknowledged >= KILLS * 100);
    });

    // Batches of 150: on SQLite they commit on the writer thread (decision 0017), killed mid-commit too.
    it(`stores every acknowledged report of batch requests exactly once across ${KILLS} kills and restarts`, async (t) => {
      const store = await createCrashStore(backend);
      stores.push(store);
      const result = await runCrashScenario(store, { kills: KILLS, clients: 4, batchSize: 150, acknowledgedBetweenKills: [600, 1800], log: (line) => t.diagnostic(line) });
      t.diagnostic(describeRun(result));
      assert.equal(result.kills, KILLS);
      assert.deepEqual(result.lost, [], 'no acknowledged report is lost');
      assert.deepEqual(result.duplicated, [], 'no report is stored twice');
      assert.equal(result.load.missingRetryAfter, 0, 'every 503 carries Retry-After');
      const unexpected = [...result.load.answers.keys()].filter((k) => !['200/840', '503/503'].includes(k));
      assert.deepEqual(unexpected, [], 'only 840 and 503 answers');
      assert.ok(result.acknowledged >= KILLS * 600);
    });
  });
}
