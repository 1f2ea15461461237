import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, ConfigError, envName, loadConfig } from '../../src/config/config.js';
import { REPO_ROOT } from '../repo-root.js';

describe('configuration', () => {
  it('serves on 127.0.0.1:8080 with SQLite under ./data and durable commits by default', () => {
    const config = loadConfig({}, {});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, './data');
    assert.equal(config.databaseUrl, null);
    assert.equal(config.bodyLimit, 65536);
    assert.equal(config.sqliteSynchronous, 'FULL');
    assert.equal(config.signingAlgorithm, 'rsa-4096');
  });

  it('reads TALLY_* variables and lets a flag win over them', () => {
    const env = { TALLY_PORT: '9000', TALLY_DATA_DIR: '/tmp/x', TALLY_COMMIT_WINDOW_MS: '2.5' };
    assert.equal(loadConfig({}, env).port, 9000);
    assert.equal(loadConfig({}, env).commitWindowMs, 2.5);
    assert.equal(loadConfig({ port: '9100' }, env).port, 9100);
    assert.equal(loadConfig({ dataDir: '/srv/tally' }, env).dataDir, '/srv/tally');
  });

  it('refuses a bad value, naming the flag and the variable', () => {
    assert.throws(() => loadConfig({}, { TALLY_PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /--port \/ TALLY_PORT/.test(e.message));
    assert.throws(() => loadConfig({ sqliteSynchronous: 'SOMETIMES' }, {}), ConfigError);
    assert.throws(() => loadConfig({ adminToken: 'short' }, {}), ConfigError);
  });

  it('keeps telemetry forever by default and reads the retention settings', () => {
    const defaults = loadConfig({}, {});
    assert.equal(defaults.retentionDays, 0);
    assert.equal(defaults.retentionIntervalMs, 3_600_000);
    const set = loadConfig({ retentionIntervalMs: '60000' }, { TALLY_RETENTION_DAYS: '90' });
    assert.deepEqual([set.retentionDays, set.retentionIntervalMs], [90, 60_000]);
    assert.throws(() => loadConfig({}, { TALLY_RETENTION_DAYS: '-1' }), /--retention-days \/ TALLY_RETENTION_DAYS/);
    assert.throws(() => loadConfig({ retentionIntervalMs: '10' }, {}), ConfigError);
  });

  it('makes monthly PostgreSQL partitions by default and accepts week or day, nothing else', () => {
    assert.equal(loadConfig({}, {}).partitionInterval, 'month');
    assert.equal(loadConfig({}, { TALLY_PARTITION_INTERVAL: 'day' }).partitionInterval, 'day');
    assert.equal(loadConfig({ partitionInterval: 'week' }, {}).partitionInterval, 'week');
    assert.throws(() => loadConfig({ partitionInterval: 'hour' }, {}), /--partition-interval \/ TALLY_PARTITION_INTERVAL/);
  });

  it('takes read replica URLs from repeated flags or one comma-separated variable', () => {
    const primary = 'postgres://tally@db:5432/tally';
    assert.deepEqual(loadConfig({ databaseUrl: primary }, {}).readDatabaseUrl, []);
    const fromFlags = loadConfig({ databaseUrl: primary, readDatabaseUrl: ['postgres://r1/tally', 'postgres://r2/tally'] }, {});
    assert.deepEqual(fromFlags.readDatabaseUrl, ['postgres://r1/tally', 'postgres://r2/tally']);
    const fromEnv = loadConfig({}, { TALLY_DATABASE_URL: primary, TALLY_READ_DATABASE_URL: ' postgres://r1/tally , postgresql://r2/tally,', TALLY_READ_MAX_LAG_MS: '250' });
    assert.deepEqual(fromEnv.readDatabaseUrl, ['postgres://r1/tally', 'postgresql://r2/tally']);
    assert.equal(fromEnv.readMaxLagMs, 250);
    assert.equal(loadConfig({}, {}).readMaxLagMs, 1000);
  });

  it('refuses read replicas without a PostgreSQL database URL, and replica URLs that are not postgres://', () => {
    assert.throws(() => loadConfig({ readDatabaseUrl: ['postgres://r1/tally'] }, {}), /--read-database-url .*need a PostgreSQL --database-url/);
    assert.throws(() => loadConfig({ databaseUrl: 'sqlite:/tmp/x.db' }, { TALLY_READ_DATABASE_URL: 'postgres://r1/tally' }), /need a PostgreSQL/);
    assert.throws(() => loadConfig({ databaseUrl: 'postgres://db/tally', readDatabaseUrl: ['mysql://u:secret@r1/tally'] }, {}), (error: Error) => error instanceof ConfigError && /--read-database-url/.test(error.message) && !error.message.includes('secret'));
  });

  it('is frozen', () => {
    const config = loadConfig({}, {});
    assert.ok(Object.isFrozen(config));
  });

  it('has every setting documented in .env.example', () => {
    const example = fs.readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
    for (const key of CONFIG_KEYS) assert.ok(example.includes(envName(key)), `${envName(key)} is in .env.example`);
  });
});
