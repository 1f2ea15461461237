import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it } from 'node:test';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/database/migrations.js';
import { tempTally } from './cli-helper.js';

describe('tally migrate', () => {
  it('creates and migrates a new database to the latest schema, and is harmless when run again', async (t) => {
    const tally = await tempTally(t);
    const first = await tally.run(['migrate']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /sqlite database is migrated/);
    const file = path.join(tally.dataDir, 'tally.db');
    assert.ok(fs.existsSync(file));
    const db = new Database(file, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    db.close();
    assert.deepEqual(versions, SQLITE_MIGRATIONS.map((m) => m.version));
    assert.equal((await tally.run(['migrate'])).code, 0);
  });
});
