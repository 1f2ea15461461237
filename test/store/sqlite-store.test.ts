import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { openStore, type OpenStoreOptions } from '../../src/store/open-store.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/database/migrations.js';
import type { Store } from '../../src/store/contract/store.js';
import { describeStoreContract } from './store-contract.js';
import { describeRollupsUnderConcurrentWrites, randomRecords } from './rollup-contract.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { assertSketchesTrue, assertTwoWritersAgree, writerReports } from './install-sketch-backend.js';
import { assertNewMachinesExact } from './new-machines-contract.js';
import { alertBackendTest, describeAlertCandidates, type AlertBackend } from './alert-candidates-backend.js';
import { SqliteStepRunner } from '../../src/store/sqlite/rollups/step-runner.js';
import { FLAGGED_BY_VALUE } from '../../src/store/sqlite/summary/summary-indexes.js';

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-store-'));
  tempDirs.push(dir);
  return dir;
}

function options(dataDir: string, databaseUrl: string | null = null): OpenStoreOptions {
  return { databaseUrl, dataDir, sqliteSynchronous: 'NORMAL' };
}

/** Reads the file directly, as another program would, without going through the store. */
function inspect<T>(file: string, query: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

async function closeAll(stores: readonly Store[]): Promise<void> {
  await Promise.all(stores.map((store) => store.close()));
}

after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('sqlite', () => openStore(options(tempDir())));
// As the server runs it: reads on the reader thread, and here every commit on the writer thread.
describeStoreContract('sqlite with reader and writer threads', () =>
  openStore({ ...options(tempDir()), sqliteReaderThread: true, sqliteWriterThread: true, sqliteWriterThreadMinRecords: 1 }));

/** A store on a new file, with a connection of its own on the file for the alert candidates' checks. */
async function alertBackend(threads: boolean): Promise<AlertBackend> {
  const dataDir = tempDir();
  const store = await openStore({ ...options(dataDir), sqliteReaderThread: threads, sqliteWriterThread: threads, sqliteWriterThreadMinRecords: 1 });
  const db = new Database(path.join(dataDir, 'tally.db'), { readonly: true });
  const runner = new SqliteStepRunner(db);
  return {
    store,
    peek: async (sql) => db.prepare(sql).all() as Record<string, unknown>[],
    walk: async (steps) => db.transaction(() => runner.run(steps))(),
    source: FLAGGED_BY_VALUE,
    close: async () => {
      db.close();
      await store.close();
    },
  };
}

describe('SQLite alert candidates', () => describeAlertCandidates(alertBackendTest(() => alertBackend(false))));
describe('SQLite alert candidates, writes on the writer thread', () => describeAlertCandidates(alertBackendTest(() => alertBackend(true))));

describe('SQLite rollups', () => {
  it("an erasure keeps a machine's first report that another connection stored while it ran", async () => {
    const dataDir = tempDir();
    const [writer, eraser] = [await openStore(options(dataDir)), await openStore(options(dataDir))];
    try {
      const template = randomRecords(71, 1)[0] as NewTelemetryRecord;
      const report = (user: string, createdAtUs: number): NewTelemetryRecord =>
        ({ ...template, product_id: 7, activation_identifier: 'shared-machine', user_identifier: user, created_at_us: createdAtUs, reported_at_us: null, event_id: null });
      const t0 = 1_718_000_000_000_000;
      // The erased person's report is the machine's first; another person's comes an hour later.
      await writer.telemetry.insertMany([report('gone', t0), report('stays', t0 + 3_600_000_000), ...randomRecords(72, 40)]);
      // Begun, not awaited: it walks its id range in steps, yielding between them.
      let erased = false;
      const erasing = eraser.privacy.erase({ userIdentifier: 'gone', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 1 })
        .finally(() => { erased = true; });
      // Stored past the erasure's id range, before it remakes the machine's first-seen row.
      await writer.telemetry.insertMany([report('stays', t0 + 60_000_000)]);
      assert.equal(erased, false, 'the report was stored while the erasure ran');
      await erasing;
      const db = new Database(path.join(dataDir, 'tally.db'), { readonly: true });
      const row = db.prepare("SELECT first_time FROM install_first_seen WHERE product_id = 7 AND activation_identifier = 'shared-machine'").get() as { first_time: number } | undefined;
      db.close();
      assert.equal(row?.first_time, t0 + 60_000_000, 'the earliest report that remains');
    } finally {
      await writer.close();
      await eraser.close();
    }
  });

  describeRollupsUnderConcurrentWrites('two stores on one SQLite file', async () => {
    const dataDir = tempDir();
    // The writer commits on its writer thread, truly alongside the other store's work on this thread.
    const writer = await openStore({ ...options(dataDir), sqliteWriterThread: true, sqliteWriterThreadMinRecords: 1 });
    return [writer, await openStore(options(dataDir))];
  });
});

describe('SQLite store', () => {
  it('stores a text report\'s value once: data is NULL in the file, and reads back as the text', async () => {
    const dataDir = tempDir();
    const store = await openStore(options(dataDir));
    const [first] = await store.telemetry.list({ limit: 1 });
    assert.equal(first, undefined);
    const text = 'z'.repeat(20_000);
    await store.telemetry.insertMany([{
      api_key_id: null, product_id: 1, user_identifier: 'u', license_key: null, activation_identifier: null, product_version: null,
      data_type: 'text', data_group: 'g', data: text, numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null,
      text_data: text, is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1,
      license_active: 1, has_red_flags: 0, blocked: 0, errors: {}, metadata: {}, client_ip: null, created_at_us: 1, reported_at_us: null,
    }]);
    assert.equal((await store.telemetry.list({ limit: 1 }))[0]?.data, text);
    await store.close();
    const raw = inspect(path.join(dataDir, 'tally.db'), (db) => db.prepare('SELECT data, length(text_data) AS length FROM telemetry').get());
    assert.deepEqual(raw, { data: null, length: 20_000 });
  });

  it('creates the data directory and keeps its database in WAL mode', async () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const store = await openStore(options(dataDir));
    await store.close();
    const file = path.join(dataDir, 'tally.db');
    assert.equal(inspect(file, (db) => db.pragma('journal_mode', { simple: true })), 'wal');
  });

  it('records each migration once, with its name', async () => {
    const dataDir = tempDir();
    const store = await openStore(options(dataDir));
    await store.migrate();
    await store.close();
    const rows = inspect(path.join(dataDir, 'tally.db'), (db) =>
      db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all(),
    );
    assert.deepEqual(rows, SQLITE_MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('lets two stores open the same file at once, both migrating without error', async () => {
    const dataDir = tempDir();
    const stores = await Promise.all([openStore(options(dataDir)), openStore(options(dataDir))]);
    try {
      await stores[0].telemetry.insertMany([]);
      const product = await stores[0].registry.createProduct({ name: 'Shared', versions: [] });
      assert.equal((await stores[1].registry.getProduct(product.id))?.name, 'Shared');
    } finally {
      await closeAll(stores);
    }
  });

  it('lets several processes starting together migrate the same new file exactly once', async () => {
    const dataDir = tempDir();
    const moduleUrl = new URL('../../src/store/open-store.js', import.meta.url).href;
    // Every child waits for the same instant, so their migrations really overlap.
    const startAt = Date.now() + 1000;
    const script = `import { openStore } from ${JSON.stringify(moduleUrl)};
      await new Promise((resolve) => setTimeout(resolve, ${startAt} - Date.now()));
      const store = await openStore(${JSON.stringify(options(dataDir))});
      await store.close();`;
    const run = promisify(execFile);
    const children = Array.from({ length: 8 }, () =>
      run(process.execPath, ['--input-type=module', '--eval', script]),
    );
    await Promise.all(children);
    const versions = inspect(path.join(dataDir, 'tally.db'), (db) =>
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(),
    );
    assert.deepEqual(versions, SQLITE_MIGRATIONS.map((m) => m.version));
  });

  it('refuses a database whose schema is newer than this version knows', async () => {
    const dataDir = tempDir();
    await (await openStore(options(dataDir))).close();
    const writer = new Database(path.join(dataDir, 'tally.db'));
    writer.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')").run();
    writer.close();
    await assert.rejects(openStore(options(dataDir)), /newer than this Tally knows/);
  });

  it('closing a store twice is harmless', async () => {
    const store = await openStore(options(tempDir()));
    await store.close();
    await store.close();
  });
});

describe('openStore', () => {
  it('picks PostgreSQL for a postgres: or postgresql: URL, and never echoes the URL when it cannot connect', async () => {
    // Port 1 on the loopback refuses at once: the PostgreSQL backend was chosen and tried to connect.
    for (const url of ['postgres://tally:s3cret@127.0.0.1:1/tally', 'postgresql://tally:s3cret@127.0.0.1:1/tally']) {
      await assert.rejects(openStore(options(tempDir(), url)), (error: Error) => {
        assert.match(error.message, /ECONNREFUSED/);
        assert.doesNotMatch(error.message, /s3cret/);
        return true;
      });
    }
  });

  it('rejects a URL of any other scheme', async () => {
    await assert.rejects(openStore(options(tempDir(), 'mysql://db/tally')), /Unsupported database URL scheme "mysql:"/);
  });

  it('opens the file that a sqlite: or file: URL names, creating its directory', async () => {
    const dir = tempDir();
    const urls = {
      'a/one.db': `sqlite://${path.join(dir, 'a', 'one.db')}`,
      'b/two.db': `file://${path.join(dir, 'b', 'two.db')}`,
      'three.db': `sqlite:${path.join(dir, 'three.db')}`,
    };
    for (const [relative, url] of Object.entries(urls)) {
      const store = await openStore(options(path.join(dir, 'unused'), url));
      await store.registry.createProduct({ name: relative, versions: [] });
      await store.close();
      const names = inspect(path.join(dir, relative), (db) => db.prepare('SELECT name FROM products').pluck().all());
      assert.deepEqual(names, [relative]);
    }
    assert.equal(fs.existsSync(path.join(dir, 'unused')), false);
  });
});

describe('SQLite install sketches', () => {
  const threaded = (dataDir: string): OpenStoreOptions => ({ ...options(dataDir), sqliteReaderThread: true, sqliteWriterThread: true, sqliteWriterThreadMinRecords: 5 });

  it('stay true with two stores (each with its writer thread) writing the same machines into one file at once', async () => {
    const dataDir = tempDir();
    const stores = [await openStore(threaded(dataDir)), await openStore(threaded(dataDir))];
    try {
      await assertTwoWritersAgree(stores[0] as Store, stores[1] as Store);
      await assertNewMachinesExact(async (sql) => inspect(path.join(dataDir, 'tally.db'), (db) => db.prepare<[], Record<string, unknown>>(sql).all()), 'two writers');
    } finally {
      await closeAll(stores);
    }
  });

  it('are built for the reports of a database upgraded from before them (migration 22), equal to those ingest keeps', async () => {
    const dataDir = tempDir();
    const records = writerReports(3, 300);
    const store = await openStore(options(dataDir));
    await store.telemetry.insertMany(records);
    const before = inspect(path.join(dataDir, 'tally.db'), (db) => db.prepare('SELECT product_id, day, version, os, machines, users FROM install_sketches ORDER BY 1, 2, 3, 4').all());
    await store.close();
    const db = new Database(path.join(dataDir, 'tally.db'));
    // Back to before migration 22, and so before 24 (the new-machine counts kept from install_first_seen).
    db.exec('DROP TABLE install_sketches; DROP TABLE install_first_seen; DROP TABLE install_new_machines; DELETE FROM schema_migrations WHERE version IN (22, 24);');
    db.close();
    const upgraded = await openStore(options(dataDir));
    try {
      const after = inspect(path.join(dataDir, 'tally.db'), (db2) => db2.prepare('SELECT product_id, day, version, os, machines, users FROM install_sketches ORDER BY 1, 2, 3, 4').all());
      assert.deepEqual(after, before, 'the same bytes');
      await assertSketchesTrue(upgraded, records);
    } finally {
      await upgraded.close();
    }
  });
});
