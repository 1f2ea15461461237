import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/open-store.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import type { Store } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { describePartitionIntervals, describePostgresPartitions } from './postgres-partitions.js';
import { describeRollupPartitions } from './postgres-rollup-partitions.js';
import { describeStoreContract } from './store-contract.js';
import { describeRollupsUnderConcurrentWrites } from './rollup-contract.js';
import { assertSketchesTrue, assertTwoWritersAgree, writerReports } from './install-sketch-backend.js';
import { assertCompact, assertNewMachinesExact } from './new-machines-contract.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';
import pg from 'pg';
import { alertBackendTest, describeAlertCandidates, type AlertBackend } from './alert-candidates-backend.js';
import { inSnapshot } from '../../src/store/postgres/rollup-reads.js';
import { runSteps } from '../../src/store/postgres/step-runner.js';
import { openPgPool } from '../../src/store/postgres/connection.js';
import { PgTelemetryTable } from '../../src/store/postgres/telemetry-table.js';

const schemas: string[] = [];

function freshSchema(): string {
  const schema = randomName();
  schemas.push(schema);
  return schema;
}

function openIn(schema: string): Promise<Store> {
  return openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
}

/** A migrated store in a fresh schema of its own, so tests and runs never see each other's data. */
function open(): Promise<Store> {
  return openIn(freshSchema());
}

/** Runs SQL in the schema directly, as another program would, without going through the store. */
function inspect<R>(schema: string, sql: string, params?: unknown[]): Promise<R[]> {
  return withClient(async (client) => (await client.query(sql, params)).rows as R[], urlInSchema(schema));
}

function nulRecord(): NewTelemetryRecord {
  return {
    api_key_id: null, product_id: 1, user_identifier: 'a\u0000b', license_key: null, activation_identifier: null,
    product_version: null, data_type: 'text', data_group: 'g', data: '\u0000', numeric_data_single_value: null,
    numeric_data_x: null, numeric_data_y: null, text_data: '\u0000', is_correct_format: 1, product_exists: 1,
    license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0,
    errors: { 'x\u0000': ['bad \u0000'] }, metadata: { raw_data: 'ingest kept this', extra: 'n\u0000' },
    client_ip: null, blocked: 0, created_at_us: 1, reported_at_us: null,
  };
}

function describePostgresOnly(): void {
  describe('PostgreSQL rollups', () => {
    describeRollupsUnderConcurrentWrites('two stores on one PostgreSQL schema', async () => {
      const schema = freshSchema();
      const first = await openIn(schema);
      return [first, await openIn(schema)];
    });
  });

  describe('PostgreSQL store', () => {
    it('prepares the ingest insert once per connection, and sends it unnamed with preparedStatements false (decision 0048)', async () => {
      const schema = freshSchema();
      await (await openIn(schema)).close();
      for (const prepared of [true, false]) {
        // One connection, so the statement the table prepared is the one this session lists.
        const pool = openPgPool({ url: TEST_DATABASE_URL, schema, max: 1 });
        try {
          const telemetry = new PgTelemetryTable(pool, undefined, prepared);
          for (let i = 0; i < 3; i++) await telemetry.insertUnique([{ ...nulRecord(), created_at_us: i + 1 }]);
          const statements = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
          assert.deepEqual(statements.rows.map((row) => row.name), prepared ? ['tally_insert_telemetry'] : []);
        } finally {
          await pool.end();
        }
      }
      assert.deepEqual(await inspect<{ n: number }>(schema, 'SELECT count(*)::int AS n FROM telemetry'), [{ n: 6 }]);
    });

    it('lets several stores starting together migrate one new schema, each step exactly once', async () => {
      const schema = freshSchema();
      const stores = await Promise.all(Array.from({ length: 6 }, () => openIn(schema)));
      await Promise.all(stores.map((store) => store.close()));
      const rows = await inspect<{ version: number }>(schema, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((row) => row.version), PG_MIGRATIONS.map((m) => m.version));
    });

    it('refuses a schema newer than this version knows', async () => {
      const schema = freshSchema();
      await (await openIn(schema)).close();
      await inspect(schema, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')");
      await assert.rejects(openIn(schema), /newer than this Tally knows/);
    });

    it('stores a text report\'s value once: data is NULL in the table, and reads back as the text', async () => {
      const schema = freshSchema();
      const store = await openIn(schema);
      try {
        await store.telemetry.insertMany([{ ...nulRecord(), user_identifier: 'u', data: 'once', text_data: 'once', errors: {}, metadata: {} }]);
        assert.equal((await store.telemetry.list({ limit: 1 }))[0]?.data, 'once');
        assert.deepEqual(await inspect(schema, 'SELECT data, text_data FROM telemetry'), [{ data: null, text_data: 'once' }]);
      } finally {
        await store.close();
      }
    });

    it('stores U+0000 in text columns as U+FFFD, keeping the value sent under metadata.raw_<field>', async () => {
      const store = await open();
      try {
        await store.telemetry.insertMany([nulRecord()]);
        const [stored] = await store.telemetry.list({ limit: 1 });
        assert.equal(stored?.user_identifier, 'a\uFFFDb');
        assert.equal(stored?.text_data, '\uFFFD');
        assert.deepEqual(stored?.errors, nulRecord().errors);
        assert.deepEqual(stored?.metadata, {
          raw_data: 'ingest kept this', extra: 'n\u0000', raw_user_identifier: 'a\u0000b', raw_text_data: '\u0000',
        });
      } finally {
        await store.close();
      }
    });
  });
}

function describePostgresInstallSketches(): void {
  describe('PostgreSQL install sketches', () => {
    it('stay true with two stores writing the same machines into one schema at once, and after maintenance merges each key\'s rows into one', async () => {
      const schema = freshSchema();
      const stores = [await openIn(schema), await openIn(schema)] as const;
      const rows = (sql: string): Promise<Record<string, unknown>[]> => inspect(schema, sql);
      const deltas = (table: string): string => `SELECT count(*)::int AS rows, count(DISTINCT (product_id, day, version, os))::int AS keys FROM ${table}`;
      try {
        const records = await assertTwoWritersAgree(stores[0], stores[1]);
        const [before] = await inspect<{ rows: number; keys: number }>(schema, deltas('install_sketches'));
        assert.ok(before !== undefined && before.rows > before.keys, 'several delta rows per key before compaction');
        const [counts] = await inspect<{ rows: number; keys: number }>(schema, deltas('install_new_machines'));
        assert.ok(counts !== undefined && counts.rows > counts.keys, 'several new-machine delta rows per key before compaction');
        const exact = await assertNewMachinesExact(rows, 'two writers');
        await stores[0].maintainTelemetry({ nowUs: Date.UTC(2024, 1, 10) * 1000, retentionDays: 0 });
        const [compacted] = await inspect<{ rows: number; keys: number }>(schema, deltas('install_sketches'));
        assert.deepEqual(compacted, { rows: before.keys, keys: before.keys });
        await assertCompact(rows, 'new-machine counts compacted');
        assert.deepEqual(await assertNewMachinesExact(rows, 'two writers, compacted'), exact);
        await assertSketchesTrue(stores[1], records);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('are built for the reports of a schema upgraded from before them (migration 20), in SQL, answering as ingest\'s do', async () => {
      const schema = freshSchema();
      const records = writerReports(3, 300);
      const store = await openIn(schema);
      await store.telemetry.insertMany(records);
      await store.close();
      // Back to before migration 20, and so before 24 (the new-machine counts and their triggers' functions).
      await inspect(schema, `DROP TABLE install_sketches; DROP TABLE install_first_seen; DROP TABLE install_new_machines;
        DROP FUNCTION install_new_machines_added, install_new_machines_removed, install_new_machines_moved; DELETE FROM schema_migrations WHERE version IN (20, 24);`);
      const upgraded = await openIn(schema);
      try {
        const [rows] = await inspect<{ rows: number }>(schema, 'SELECT count(*)::int AS rows FROM install_first_seen');
        assert.equal(rows?.rows, new Set(records.map((r) => r.activation_identifier)).size);
        await assertSketchesTrue(upgraded, records);
        // Reports ingested after the upgrade merge with the rebuilt sketches: same hash, same slots.
        await upgraded.telemetry.insertMany(records.slice(0, 50));
        await assertSketchesTrue(upgraded, [...records, ...records.slice(0, 50)]);
      } finally {
        await upgraded.close();
      }
    });
  });
}

/** A store in a fresh schema with a pool of its own on the same schema, for the alert candidates' checks. */
async function alertBackend(): Promise<AlertBackend> {
  const schema = freshSchema();
  const store = await openIn(schema);
  const pool = new pg.Pool({ connectionString: urlInSchema(schema), max: 2 });
  return {
    store,
    peek: async (sql) => (await pool.query(sql)).rows as Record<string, unknown>[],
    walk: (steps) => inSnapshot(pool, (client) => runSteps(client, steps)),
    source: () => 'telemetry',
    close: async () => {
      await pool.end();
      await store.close();
    },
  };
}

await describeWithPostgres('the store contract', () => {
  after(() => dropSchemas(schemas));
  describeStoreContract('postgres', open);
  describePostgresOnly();
  describePostgresInstallSketches();
  describePostgresPartitions({ freshSchema, openIn, inspect });
  describePartitionIntervals({ freshSchema, openIn, inspect });
  describeRollupPartitions({ freshSchema, openIn, inspect });
  describe('PostgreSQL alert candidates', () => describeAlertCandidates(alertBackendTest(alertBackend)));
});
