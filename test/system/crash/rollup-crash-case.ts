import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openStore } from '../../../src/store/open-store.js';
import { assertRollupsAgree } from '../rollups-agree.js';
import { createCrashStore, describeRun, runCrashScenario, type CrashRunOptions, type CrashStore } from './crash-driver.js';
import type { ReportFields } from './load.js';

const KILLS = 3;
const DAY_US = 86_400_000_000;
/** How late a report's reported_at is, by report number: none, on time, late (over an hour), days late. */
const LATENESS_S = [null, 20, 7_200, 3 * 86_400 + 17] as const;

function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * Reports that vary everything the rollups and install sketches key on: two products (one not
 * registered, so red-flagged), two groups of single values and text reports, three versions (one
 * missing), three OSes, 40 machines and 25 users, reported_at absent, on time, late or days late,
 * and every seventh report repeating the event_id of the one before it (answered 832, never stored twice).
 */
function variedReports(productId: number): ReportFields {
  return (n) => {
    const lateness = LATENESS_S[n % LATENESS_S.length] ?? null;
    const numeric = n % 3 !== 0;
    const fields: Record<string, string> = {
      product_id: String(n % 5 === 4 ? productId + 1000 : productId), user_identifier: `u-${n % 25}`, license_key: 'L-1',
      activation_identifier: `m-${n % 40}`, product_version: ['1.0.0', '2.0.0', ''][Math.floor(n / 2) % 3] as string,
      data_group: ['cpu', 'mem'][Math.floor(n / 3) % 2] as string, os: ['Linux', 'Windows', 'macOS'][n % 3] as string,
      ...(numeric ? { data_type: 'numeric-single-value', numeric_data_single_value: String(((n * 7919) % 2001) / 10 - 50) } : { data_type: 'text', text_data: `t${n % 4}` }),
    };
    if (lateness !== null) fields['reported_at'] = (Date.now() / 1000 - lateness).toFixed(3);
    if (n % 7 === 2) fields['event_id'] = uuidOf(n);
    if (n % 7 === 3) fields['event_id'] = uuidOf(n - 1);
    return fields;
  };
}

const SHAPES: readonly { name: string; options: Omit<CrashRunOptions, 'kills' | 'log' | 'fields'> }[] = [
  { name: 'single reports', options: { clients: 16, acknowledgedBetweenKills: [100, 250] } },
  { name: 'batches', options: { clients: 3, batchSize: 60, acknowledgedBetweenKills: [200, 500] } },
];

/** SIGKILLs under varied ingest, then: nothing acknowledged lost, and the rollups exact (check and answers). */
export function describeRollupCrashTest(backend: 'sqlite' | 'postgres', label: string): void {
  describe(`rollups across SIGKILLs on ${label}`, () => {
    const stores: CrashStore[] = [];
    after(async () => {
      for (const store of stores) await store.dispose();
    });

    for (const shape of SHAPES) {
      it(`keeps the rollups and install sketches exact across ${KILLS} kills during ingest of ${shape.name}`, async (t) => {
        const store = await createCrashStore(backend);
        stores.push(store);
        const startedUs = Date.now() * 1000;
        const result = await runCrashScenario(store, { ...shape.options, kills: KILLS, fields: variedReports(store.productId), log: (line) => t.diagnostic(line) });
        t.diagnostic(describeRun(result));
        assert.equal(result.kills, KILLS);
        assert.deepEqual(result.lost, [], 'no acknowledged report is lost');
        assert.deepEqual(result.duplicated, [], 'no report is stored twice');
        const allowed = ['200/830', '200/831', '200/832', '200/840', '503/503'];
        assert.deepEqual([...result.load.answers.keys()].filter((k) => !allowed.includes(k)), [], 'no other answer');
        assert.ok((result.load.answers.get('200/832') ?? 0) > 0 || shape.options.batchSize !== undefined, 'repeated event ids were answered 832');
        const opened = await openStore(store.open);
        try {
          await assertRollupsAgree(opened, [store.productId, store.productId + 1000], ['cpu', 'mem'], startedUs - 4 * DAY_US, Date.now() * 1000);
        } finally {
          await opened.close();
        }
      });
    }
  });
}
