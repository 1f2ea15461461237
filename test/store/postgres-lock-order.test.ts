import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';
import { randomRecords } from './rollup-contract.js';

/** Triggers that log, in order, each row an insert writes into the tables an insert and a deletion both lock. */
const LOG_WRITES = `CREATE SEQUENCE write_seq; CREATE TABLE write_log (n bigint, t text);
CREATE FUNCTION log_write() RETURNS trigger AS $$ BEGIN INSERT INTO write_log VALUES (nextval('write_seq'), TG_TABLE_NAME); RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER log_write BEFORE INSERT OR UPDATE ON license_report_counts FOR EACH ROW EXECUTE FUNCTION log_write();
CREATE TRIGGER log_write BEFORE INSERT OR UPDATE ON telemetry_rollups FOR EACH ROW EXECUTE FUNCTION log_write();
CREATE TRIGGER log_write BEFORE INSERT OR UPDATE ON telemetry_rollup_bins FOR EACH ROW EXECUTE FUNCTION log_write();
CREATE TRIGGER log_write BEFORE INSERT OR UPDATE ON flagged_value_counts FOR EACH ROW EXECUTE FUNCTION log_write();`;

await describeWithPostgres('the PostgreSQL insert lock order', () => {
  describe('PostgreSQL insert lock order', () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('an insert writes rollup bins, then rollup counts, then license counts, then flagged value counts: the order retention and erasure subtract in, so they cannot deadlock', async () => {
      const schema = randomName();
      schemas.push(schema);
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
      try {
        await withClient((client) => client.query(LOG_WRITES), urlInSchema(schema));
        // Every third record red-flagged with a data group, so that each table gets rows.
        await store.telemetry.insertMany(randomRecords(3, 40).map((r, i) => ({ ...r, product_id: 7, license_key: `K-${i % 3}`, ...(i % 3 === 0 ? { has_red_flags: 1, data_group: 'g' } : {}) })));
        const writes = await withClient(async (client) => (await client.query<{ t: string }>('SELECT t FROM write_log ORDER BY n')).rows, urlInSchema(schema));
        // The tables in the order written, a run of rows of one table counted once.
        const tables = writes.map((row) => row.t.replace(/_(default|\d{4}_\d{2}(_\d{2})?)$/, ''));
        const runs = tables.filter((t, i, all) => t !== all[i - 1]);
        assert.deepEqual(runs, ['telemetry_rollup_bins', 'telemetry_rollups', 'license_report_counts', 'flagged_value_counts']);
      } finally {
        await store.close();
      }
    });
  });
});
