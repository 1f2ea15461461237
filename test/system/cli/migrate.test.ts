import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it } from 'node:test';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/database/migrations.js';
import { PG_MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { describeWithPostgres, dropSchemas, randomName, urlInSchema, withClient } from '../../postgres-helpers.js';
import { runCli } from '../../http/cli-runner.js';
import { tempTally } from './cli-helper.js';

interface MigrateJson {
  backend: string;
  applied: { version: number; name: string }[];
  version: number;
}

const latest = (migrations: readonly { version: number }[]): number => Math.max(...migrations.map((m) => m.version));
const steps = (migrations: readonly { version: number; name: string }[]): { version: number; name: string }[] =>
  migrations.map(({ version, name }) => ({ version, name }));

describe('tally migrate', () => {
  it('creates and migrates a new database to the latest schema, and is harmless when run again', async (t) => {
    const tally = await tempTally(t);
    const first = await tally.run(['migrate']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'The sqlite database is migrated to the latest schema.\n');
    const file = path.join(tally.dataDir, 'tally.db');
    assert.ok(fs.existsSync(file));
    const db = new Database(file, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    db.close();
    assert.deepEqual(versions, SQLITE_MIGRATIONS.map((m) => m.version));
    assert.equal((await tally.run(['migrate'])).code, 0);
  });

  it('--json lists the steps it applied and the schema version: every step on a new database, none on a current one', async (t) => {
    const tally = await tempTally(t);
    const first = await tally.json<MigrateJson>(['migrate']);
    assert.deepEqual(first, { backend: 'sqlite', applied: steps(SQLITE_MIGRATIONS), version: latest(SQLITE_MIGRATIONS) });
    assert.deepEqual(await tally.json<MigrateJson>(['migrate']), { backend: 'sqlite', applied: [], version: latest(SQLITE_MIGRATIONS) });
  });
});

await describeWithPostgres('tally migrate --json', () => {
  it('lists every step on a new schema and none on a current one', async () => {
    const schema = randomName();
    await withClient((client) => client.query(`CREATE SCHEMA ${schema}`));
    try {
      const args = ['migrate', '--json', '--database-url', urlInSchema(schema)];
      const first = await runCli(args);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(JSON.parse(first.stdout), { backend: 'postgres', applied: steps(PG_MIGRATIONS), version: latest(PG_MIGRATIONS) });
      const again = await runCli(args);
      assert.deepEqual(JSON.parse(again.stdout), { backend: 'postgres', applied: [], version: latest(PG_MIGRATIONS) });
    } finally {
      await dropSchemas([schema]);
    }
  });
});
