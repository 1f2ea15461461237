import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditRetentionDays, loadConfig } from '../../src/config/config.js';
import { startMaintenanceJob } from '../../src/jobs/maintenance-job.js';
import type { NewAuditEntry } from '../../src/model/audit.js';
import { DAY_US } from '../../src/model/clock.js';
import type { Store } from '../../src/store/contract/store.js';
import { openStore } from '../../src/store/open-store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL } from '../postgres-helpers.js';

const NOW_US = Date.UTC(2026, 5, 1) * 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-audit-retention-'));
const schemas: string[] = [];
after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

const change = (targetId: string): NewAuditEntry => ({
  actor: { kind: 'cli', accountId: null, name: 'cli:ops', ip: null }, action: 'product.create', targetType: 'product', targetId, changes: {},
});

/** Runs one maintenance pass with these settings over entries 100, 10 and 0 days old; returns what is left and the log. */
async function trim(store: Store, retentionDays: number, auditDays: number | undefined): Promise<{ left: (string | null)[]; lines: string[] }> {
  await store.audit.recordMany([change('100-days')], NOW_US - 100 * DAY_US);
  await store.audit.recordMany([change('10-days')], NOW_US - 10 * DAY_US);
  await store.audit.recordMany([change('today')], NOW_US);
  const lines: string[] = [];
  const options = { retentionDays, intervalMs: 60_000, log: (l: string) => lines.push(l), nowUs: () => NOW_US };
  const job = startMaintenanceJob(store, auditDays === undefined ? options : { ...options, auditRetentionDays: auditDays });
  await job.idle();
  await job.stop();
  return { left: (await store.audit.list({ limit: 10 })).map((e) => e.target_id), lines: lines.filter((line) => line.includes('audit')) };
}

function describeAuditRetention(open: () => Promise<Store>): void {
  const test = (name: string, body: (store: Store) => Promise<void>): void => {
    it(name, async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };
  test('the maintenance job removes audit entries older than the audit retention, and says so', async (store) => {
    const { left, lines } = await trim(store, 0, 30);
    assert.deepEqual(left, ['today', '10-days']);
    assert.deepEqual(lines, ['maintenance: deleted 1 audit log entries older than 30 days']);
  });
  test('without an audit retention of its own, the audit log follows the telemetry retention', async (store) => {
    assert.deepEqual((await trim(store, 5, undefined)).left, ['today']);
  });
  test('an audit retention of 0 keeps every entry, whatever the telemetry retention', async (store) => {
    const { left, lines } = await trim(store, 5, 0);
    assert.deepEqual(left, ['today', '10-days', '100-days']);
    assert.deepEqual(lines, []);
  });
}

describe('audit log retention on SQLite', () => {
  let n = 0;
  describeAuditRetention(() => openStore({ databaseUrl: null, dataDir: path.join(dir, String(++n)), sqliteSynchronous: 'NORMAL' }));
});

await describeWithPostgres('audit log retention', () => {
  describeAuditRetention(() => {
    const schema = randomName();
    schemas.push(schema);
    return openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
  });
});

describe('the audit retention setting', () => {
  it('is --retention-days unless --audit-retention-days is set (0 = forever)', () => {
    assert.equal(auditRetentionDays(loadConfig({ retentionDays: '30' }, {})), 30);
    assert.equal(auditRetentionDays(loadConfig({ retentionDays: '30', auditRetentionDays: '365' }, {})), 365);
    assert.equal(auditRetentionDays(loadConfig({ retentionDays: '30' }, { TALLY_AUDIT_RETENTION_DAYS: '0' })), 0);
    assert.throws(() => loadConfig({ auditRetentionDays: '-1' }, {}), /audit-retention-days/);
  });
});
