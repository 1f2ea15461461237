import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeReport, startMaintenanceJob } from '../../src/jobs/maintenance-job.js';
import { emptyReport } from '../../src/store/contract/maintenance.js';
import { openStore } from '../../src/store/open-store.js';
import { NOW_US, reportAt } from './retention-contract.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-maintenance-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('maintenance job', () => {
  it('runs a pass on start, logs what it removed, and stops cleanly', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'NORMAL' });
    try {
      await store.telemetry.insertMany([reportAt(Date.UTC(2024, 0, 1) * 1000), reportAt(NOW_US)]);
      const lines: string[] = [];
      const job = startMaintenanceJob(store, { retentionDays: 30, intervalMs: 60_000, log: (l) => lines.push(l), nowUs: () => NOW_US });
      await job.idle();
      await job.stop();
      assert.deepEqual(lines, ['maintenance: deleted 1 expired records']);
      assert.equal(await store.telemetry.count(), 1);
    } finally {
      await store.close();
    }
  });

  it('says nothing when a pass changed nothing, and names partitions when it did', () => {
    assert.equal(describeReport(emptyReport(null)), null);
    const report = { ...emptyReport(0), partitionsCreated: ['telemetry_2024_07'], partitionsDropped: ['telemetry_2024_01'] };
    assert.equal(describeReport(report), 'created partitions telemetry_2024_07; dropped expired partitions telemetry_2024_01');
  });
});
