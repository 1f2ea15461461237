/**
 * `node dist/bench/installs-timing.js [records] [sqlite|postgres]`: times `TelemetryStore.installs`
 * directly (no HTTP) over N fleet-like records, for each interval and breakdown over the last 30
 * and 90 days; the figures behind decision 0023. Small sizes only on a shared machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { nowMicros } from '../src/model/clock.js';
import { INSTALLS_BREAKDOWNS, INSTALLS_DISTINCT, type InstallsInterval } from '../src/model/installs.js';
import { openStore } from '../src/store/open-store.js';
import { INSIGHTS_PRODUCT, INSIGHTS_SPAN_US, insightsRecord, seededRandom } from './insights-records.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from './pg-database.js';
import { DEFAULT_DATABASE_URL } from './options.js';

const DAY_US = 86_400_000_000;

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 200_000);
  const backend = process.argv[3] ?? 'sqlite';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tally-installs-timing-'));
  const database: ThrowawayDatabase | null = backend === 'postgres' ? await createThrowawayDatabase(process.env['TEST_DATABASE_URL'] ?? DEFAULT_DATABASE_URL) : null;
  const store = await openStore(loadConfig({ dataDir, databaseUrl: database?.url ?? null, logLevel: 'silent', sqliteSynchronous: 'OFF' }, {}));
  try {
    const endUs = nowMicros();
    await store.maintainTelemetry({ nowUs: endUs - INSIGHTS_SPAN_US, retentionDays: 0, monthsAhead: 5 });
    const random = seededRandom(17);
    for (let from = 0; from < records; from += 5000) {
      await store.telemetry.insertMany(Array.from({ length: Math.min(5000, records - from) }, (_, k) => insightsRecord(from + k, records, endUs, random)));
    }
    console.log(`${backend}: ${records} records`);
    for (const days of [30, 90]) {
      for (const interval of ['day', 'week', 'month'] as InstallsInterval[]) {
        for (const by of INSTALLS_BREAKDOWNS) for (const distinct of INSTALLS_DISTINCT) {
          const request = { productId: INSIGHTS_PRODUCT, fromUs: endUs - days * DAY_US, toUs: endUs, interval, by, distinct, maxKeys: 20 };
          const times: number[] = [];
          let rows = 0;
          for (let run = 0; run < 5; run++) {
            const t0 = performance.now();
            rows = (await store.telemetry.installs(request)).series.length;
            times.push(performance.now() - t0);
          }
          times.sort((a, b) => a - b);
          console.log(`  ${days} days, per ${interval}, by ${by}, ${distinct}: median ${times[2]?.toFixed(0)} ms (${rows} series rows)`);
        }
      }
    }
  } finally {
    await store.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
