import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { describeWithPostgres } from '../postgres-helpers.js';
import { createCrashStore, describeRun, runCrashScenario, type CrashStore } from './crash-driver.js';

await describeWithPostgres('the crash test', () => {
  describe('SIGKILL during full-speed ingest on PostgreSQL', () => {
    let store: CrashStore | null = null;
    after(async () => store?.dispose());

    it('stores every acknowledged report exactly once across 5 kills and restarts', async (t) => {
      store = await createCrashStore('postgres');
      const result = await runCrashScenario(store, { kills: 5, clients: 32, acknowledgedBetweenKills: [100, 600], log: (line) => t.diagnostic(line) });
      t.diagnostic(describeRun(result));
      assert.equal(result.kills, 5);
      assert.deepEqual(result.lost, [], 'no acknowledged report is lost');
      assert.deepEqual(result.duplicated, [], 'no report is stored twice');
      assert.equal(result.load.missingRetryAfter, 0, 'every 503 carries Retry-After');
      const unexpected = [...result.load.answers.keys()].filter((k) => !['200/830', '503/503'].includes(k));
      assert.deepEqual(unexpected, [], 'only 830 and 503 answers');
      assert.ok(result.acknowledged >= 5 * 100);
    });
  });
});
