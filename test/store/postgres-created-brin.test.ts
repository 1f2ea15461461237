import assert from 'node:assert/strict';
import os from 'node:os';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import { describeWithPostgres, dropSchemas, randomName, urlInSchema, withClient } from '../postgres-helpers.js';
import { keyedRecords } from './license-counts-contract.js';
import { DAY_US } from '../../src/model/clock.js';

/** Every telemetry partition of the schema with its created_at BRIN index, if any (schema filtered first: see license-counts-migration.test.ts). */
const PARTITION_BRINS = `SELECT c.relname AS partition, i.indexname AS brin
  FROM (SELECT c.oid, c.relname FROM pg_class c JOIN pg_inherits h ON h.inhrelid = c.oid
    WHERE h.inhparent = (SELECT oid FROM pg_class WHERE relname = 'telemetry' AND relnamespace = $1::text::regnamespace) OFFSET 0) AS c
  LEFT JOIN (SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1::text OFFSET 0) AS i
    ON i.tablename = c.relname AND i.indexdef LIKE '%USING brin (created_at)%'`;

await describeWithPostgres('the created_at BRIN index (migration 26)', () => {
  describe('telemetry created_at BRIN index (PostgreSQL 26)', () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('is on every telemetry partition, those made later included', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      const store = await openStore({ databaseUrl: urlInSchema(schema), dataDir: os.tmpdir(), sqliteSynchronous: 'NORMAL' });
      try {
        await store.telemetry.insertMany(keyedRecords(41, 200));
        // A year ahead: the maintenance pass makes partitions the migration never saw.
        const later = Date.now() * 1000 + 365 * DAY_US;
        await store.maintainTelemetry({ nowUs: later, retentionDays: 0, partitionsAhead: 2 });
      } finally {
        await store.close();
      }
      await withClient(async (client) => {
        const { rows } = await client.query<{ partition: string; brin: string | null }>(PARTITION_BRINS, [schema]);
        assert.ok(rows.length >= 4, `partitions: ${rows.map((r) => r.partition).join(', ')}`);
        assert.deepEqual(rows.filter((r) => r.brin === null).map((r) => r.partition), [], 'partitions without the index');
      });
    });
  });
});
