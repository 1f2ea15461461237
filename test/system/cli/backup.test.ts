import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/store/open-store.js';
import { describeWithPostgres, dropSchemas, randomName, urlInSchema, withClient } from '../../postgres-helpers.js';
import { runCli } from '../../http/cli-runner.js';
import { form, post, startTestServer, type TestServer } from '../../http/test-server.js';

function report(server: TestServer, marker: string): string {
  return form({
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: marker, data_group: 'g',
  });
}

describe('tally backup on SQLite', () => {
  it('copies the database while the server keeps ingesting: the copy is intact and holds every report acknowledged before it began', async () => {
    const server = await startTestServer({ sqliteReaderThread: false });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tally-backup-')), 'copy.db');
    let acknowledged = 0;
    let stop = false;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const answer = await post(`${server.url}/api/v1/send-telemetry-data`, report(server, `${w}-${i}`), 'application/x-www-form-urlencoded');
        if (answer.response.code === 830) acknowledged++;
      }
    };
    try {
      const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      while (acknowledged < 200) await new Promise((resolve) => setTimeout(resolve, 10));
      const acknowledgedBefore = acknowledged;
      const result = await runCli(['backup', out, ...server.cliStoreArgs]);
      const acknowledgedAfter = acknowledged;
      stop = true;
      await load;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Backed up \d+ pages of the sqlite database to /);
      assert.ok(acknowledgedAfter > acknowledgedBefore, 'ingest went on during the backup');

      const check = new Database(out, { readonly: true });
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
      check.close();
      const restoredDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-restored-'));
      fs.copyFileSync(out, path.join(restoredDir, 'tally.db'));
      const restored = await openStore({ databaseUrl: null, dataDir: restoredDir, sqliteSynchronous: 'FULL' });
      try {
        const count = await restored.telemetry.count();
        assert.ok(count >= acknowledgedBefore, `restored ${count} records, ${acknowledgedBefore} were acknowledged before the backup`);
        assert.equal((await restored.registry.listProducts()).length, 2, 'the registry comes along');
      } finally {
        await restored.close();
      }
    } finally {
      stop = true;
      await server.close();
    }
  });

  it('--json prints {path, pages, backend} with the absolute path of the copy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-backup-'));
    const result = await runCli(['backup', path.join(path.relative(process.cwd(), dir), 'copy.db'), '--json', '--data-dir', path.join(dir, 'data')]);
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as { path: string; pages: number; backend: string };
    assert.deepEqual({ ...printed, pages: 0 }, { path: path.join(dir, 'copy.db'), pages: 0, backend: 'sqlite' });
    assert.ok(Number.isSafeInteger(printed.pages) && printed.pages > 0, `${printed.pages} pages`);
    assert.equal(fs.statSync(printed.path).size % printed.pages, 0, 'the copy is whole pages');
  });

  it('never overwrites an existing file (exit 1)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-backup-'));
    const existing = path.join(dir, 'there.db');
    fs.writeFileSync(existing, 'keep me');
    for (const json of [[], ['--json']]) {
      const result = await runCli(['backup', existing, ...json, '--data-dir', path.join(dir, 'data')]);
      assert.deepEqual([result.code, result.stdout], [1, '']);
      assert.match(result.stderr, /exists; a backup never overwrites a file/);
    }
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
  });
});

await describeWithPostgres('tally backup refusing PostgreSQL', () => {
  it('says to use pg_dump and exits 1 on a PostgreSQL store', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tally-backup-')), 'copy.db');
    const schema = randomName();
    await withClient((client) => client.query(`CREATE SCHEMA ${schema}`));
    const result = await runCli(['backup', out, '--database-url', urlInSchema(schema)]).finally(() => dropSchemas([schema]));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /pg_dump/);
    assert.equal(fs.existsSync(out), false);
  });
});
