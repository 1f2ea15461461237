import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeWithPostgres, TEST_DATABASE_URL, withClient } from '../../postgres-helpers.js';
import { createCrashStore, storedMarkers, verdict, type CrashStore } from '../crash/crash-driver.js';
import { Load } from '../crash/load.js';
import { startTally, stopTally, type TallyProcess } from '../crash/tally-process.js';
import { TcpProxy } from '../crash/tcp-proxy.js';

const CLIENTS = 16;
const marks: string[] = [];
/** "830 again within a few seconds" once PostgreSQL is back. */
const RECOVERY_LIMIT_MS = 10_000;

/** Answers other than 830 and 503 (with Retry-After): there must be none. */
function unexpectedAnswers(load: Load): string[] {
  return [...load.tally.answers.keys()].filter((k) => k !== '200/830' && k !== '503/503');
}

await describeWithPostgres('the PostgreSQL outage tests', () => {
  describe('PostgreSQL going away under load, Tally not restarted', () => {
    const upstream = new URL(TEST_DATABASE_URL);
    const proxy = new TcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    let store: CrashStore;
    let tally: TallyProcess;
    let load: Load;

    before(async () => {
      const viaProxy = new URL(TEST_DATABASE_URL);
      viaProxy.port = String(await proxy.listen());
      store = await createCrashStore('postgres', { databaseUrl: viaProxy.toString() });
      // No registry cache: every request reads the registry too, so both its reads and the commit meet the outage.
      tally = await startTally(store.target, ['--registry-cache-ms', '0']);
      load = new Load(store, CLIENTS, 'outage');
      load.setUrl(tally.url);
      load.start();
    });

    after(async () => {
      await load.stop();
      await stopTally(tally);
      await proxy.close();
      await store.dispose();
    });

    it('answers 503 + Retry-After while the connection to PostgreSQL is cut, and 830 again soon after it is back', async (t) => {
      await load.untilAcknowledged(200, 30_000);
      proxy.cut();
      marks.push(`cut@${load.tally.acknowledged.at(-1)}`);
      const ackedAtCut = load.tally.acknowledged.length;
      const unavailableAtCut = load.count('503/503');
      // Counted, not timed: the cut lasts until 100 requests have been refused.
      const cutAt = performance.now();
      while (load.count('503/503') < unavailableAtCut + 100) {
        assert.ok(performance.now() - cutAt < 30_000, `100 answers 503 while cut (answers: ${JSON.stringify([...load.tally.answers])})`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const ackedDuringCut = load.tally.acknowledged.length - ackedAtCut;
      t.diagnostic(`while cut: ${load.count('503/503') - unavailableAtCut} answers 503, ${ackedDuringCut} acknowledgements (requests already committed when it was cut)`);
      assert.ok(ackedDuringCut <= CLIENTS, 'only requests in flight at the cut may still be acknowledged');
      marks.push(`restore@${load.tally.acknowledged.at(-1)}`);
      proxy.restore();
      const restored = performance.now();
      await load.untilAcknowledged(load.tally.acknowledged.length + 1, RECOVERY_LIMIT_MS);
      t.diagnostic(`830 again ${Math.round(performance.now() - restored)} ms after the connection was restored`);
      await load.untilAcknowledged(load.tally.acknowledged.length + 200, 30_000);
      assert.equal(tally.child.exitCode, null, 'the same server process still runs');
      assert.deepEqual(unexpectedAnswers(load), []);
      assert.equal(load.tally.missingRetryAfter, 0, 'every 503 carries Retry-After');
    });

    it('recovers by itself when PostgreSQL terminates its connections (pg_terminate_backend)', async (t) => {
      const before = load.tally.acknowledged.length;
      const terminated = await withClient(async (client) => (await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [store.applicationName])).rowCount);
      t.diagnostic(`terminated ${terminated} connections`);
      assert.ok((terminated ?? 0) > 0, 'the server had connections to terminate');
      marks.push(`terminated@${load.tally.acknowledged.at(-1)}`);
      const terminatedAt = performance.now();
      await load.untilAcknowledged(before + 200, 30_000);
      t.diagnostic(`200 more acknowledgements ${Math.round(performance.now() - terminatedAt)} ms after the termination`);
      assert.deepEqual(unexpectedAnswers(load), []);
    });

    it('lost no acknowledged report and stored none twice', async (t) => {
      await load.stop();
      const result = verdict(load.tally.acknowledged, await storedMarkers(store.open));
      t.diagnostic(`acknowledged ${result.acknowledged}, stored ${result.stored}, answers ${JSON.stringify([...load.tally.answers])}`);
      t.diagnostic(`lost ${result.lost.join(' ')}; marks ${JSON.stringify(marks)}`);
      assert.deepEqual(result.lost, []);
      assert.deepEqual(result.duplicated, []);
    });
  });
});
