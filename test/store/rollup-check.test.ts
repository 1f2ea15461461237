import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Store } from '../../src/store/contract/store.js';
import { openStore } from '../../src/store/open-store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';
import { assertCheckPasses, assertRollupsMatchRaw, randomRecords } from './rollup-contract.js';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
const DAY0 = Date.UTC(2024, 5, 10) * 1000;
const CHECK = { retentionDays: 0, nowUs: DAY0 + 10 * DAY_US };

/** A store over a fresh database and a way to run SQL on it behind the store's back. */
interface Tamperable {
  store: Store;
  exec(sql: string): Promise<void>;
}

/** Damage of every kind the check looks for, the same SQL on both backends. */
const DAMAGE: Record<string, string> = {
  telemetry_rollups: `UPDATE telemetry_rollups SET n = n + 1 WHERE span_us = ${DAY_US} AND bucket_us = ${DAY0 + DAY_US}`,
  telemetry_rollup_bins: `DELETE FROM telemetry_rollup_bins WHERE span_us = ${HOUR_US} AND bucket_us = ${DAY0 + 2 * DAY_US + 5 * HOUR_US}`,
  install_sketches: `DELETE FROM install_sketches WHERE day = ${DAY0 / DAY_US + 2}`,
  install_first_seen: `UPDATE install_first_seen SET first_time = first_time + 1`,
  install_new_machines: `UPDATE install_new_machines SET machines = machines + 1 WHERE day = ${DAY0 / DAY_US + 1}`,
  extra: `INSERT INTO telemetry_rollups (span_us, bucket_us, product_id, data_group, data_type, product_version, has_red_flags, nulls, n, typed_n, v_sum)
    VALUES (${HOUR_US}, ${DAY0 + HOUR_US}, 99, 'ghost', 'text', '', 0, 0, 3, 3, 0)`,
};

function records(): ReturnType<typeof randomRecords> {
  return randomRecords(77, 500).map((r, i) => ({ ...r, activation_identifier: `m-${i % 31}`, metadata: { os: i % 2 === 0 ? 'Linux' : 'Windows' } }));
}

function describeTampering(label: string, open: () => Promise<Tamperable>): void {
  it(`${label}: the check names every damaged table, and a rebuild makes it pass again`, async () => {
    const { store, exec } = await open();
    try {
      await store.telemetry.insertMany(records());
      await assertCheckPasses(store, 'before damage');
      for (const sql of Object.values(DAMAGE)) await exec(sql);
      const report = await store.rollups.check({ ...CHECK, limit: 5 });
      assert.ok(report.mismatches > 5, `mismatches: ${report.mismatches}`);
      assert.equal(report.first.length, 5, 'only the first --limit are returned');
      const tables = new Set((await store.rollups.check({ ...CHECK, limit: 100_000 })).first.map((m) => m.table));
      assert.deepEqual([...tables].sort(), ['install_first_seen', 'install_new_machines', 'install_sketches', 'telemetry_rollup_bins', 'telemetry_rollups']);
      const ghost = (await store.rollups.check({ ...CHECK, productId: 99, limit: 10 })).first;
      assert.deepEqual(ghost.map((m) => [m.key['data_group'], m.problem]), [['ghost', 'a row without records']]);
      const oneDay = await store.rollups.check({ ...CHECK, fromUs: DAY0 + 3 * DAY_US, toUs: DAY0 + 3 * DAY_US + 5, limit: 10 });
      assert.equal(oneDay.days, 1);

      const rebuilt = await store.rollups.rebuild(CHECK);
      assert.ok(rebuilt.days >= 4, JSON.stringify(rebuilt));
      await assertCheckPasses(store, 'after rebuild');
      await assertRollupsMatchRaw(store, 'after rebuild');
    } finally {
      await store.close();
    }
  });
}

const dirs: string[] = [];
const schemas: string[] = [];
after(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

describe('rollup check and rebuild (SQLite)', () => {
  describeTampering('SQLite', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-rollup-check-'));
    dirs.push(dataDir);
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    return {
      store,
      exec: async (sql) => {
        const db = new Database(path.join(dataDir, 'tally.db'));
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
    };
  });
});

await describeWithPostgres('rollup check and rebuild (PostgreSQL)', () => {
  describeTampering('PostgreSQL', async () => {
    const schema = randomName('tally_rc');
    schemas.push(schema);
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
    return { store, exec: async (sql) => withClient(async (client) => void (await client.query(sql)), urlInSchema(schema)) };
  });
});
