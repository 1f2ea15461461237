import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { nowMicros } from '../../../src/model/clock.js';
import { startTestServer } from '../../http/test-server.js';
import { launchBrowser, logIn } from './browser.js';
import { seedTelemetry } from './seed-telemetry.js';
import { seedLicenses } from './seed-licenses.js';
import { DAY_MS, seedFleet } from '../../insights/fleet.js';
import { REPO_ROOT } from '../../repo-root.js';

/**
 * `npm run screenshots`: every dashboard page with seeded data (seed-telemetry.ts, the license
 * keys of seed-licenses.ts, a generated fleet for the installs page), at desktop width and the
 * overview and records at phone width, into docs/screenshots/. `node --test dist/test/` loads this file
 * too; there it does nothing.
 */
const OUT = path.join(REPO_ROOT, 'docs/screenshots');

/** The seeded products: the installs page shows the fleet's (test/insights/fleet.ts: 120 machines over 20 days). */
interface Seeded {
  productA: number;
  fleet: number;
}

const PAGES: readonly [string, (seeded: Seeded) => string, (page: Page) => Promise<void>][] = [
  ['overview', () => '#/overview', async (page) => { await page.locator('[data-chart="reports-over-time"] canvas').waitFor(); }],
  ['installs', (seeded) => `#/installs?product_id=${seeded.fleet}&days=30&interval=day`, async (page) => { await page.locator('[data-chart="os-split"] canvas').waitFor(); }],
  ['data-groups', (seeded) => `#/groups?product_id=${seeded.productA}&data_group=startup_ms`, async (page) => { await page.locator('[data-chart="value-over-time"] canvas').waitFor(); }],
  ['piracy', () => '#/piracy?class=all&sort=machines&limit=10', async (page) => { await page.getByText('FREE-KEY-123').first().waitFor(); }],
  ['records', () => '#/records?has_red_flags=1', async (page) => { await page.locator('table').first().waitFor(); }],
  ['registry', () => '#/registry', async (page) => { await page.getByRole('heading', { name: 'Products and versions' }).waitFor(); }],
  ['live', () => '#/live', async (page) => { await page.getByRole('status').filter({ hasText: 'last checked' }).waitFor(); }],
];

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const server = await startTestServer();
  const browser = await launchBrowser();
  try {
    await seedTelemetry(server.store, server.seed, nowMicros());
    await seedLicenses(server, nowMicros());
    const today = new Date();
    const startMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - 20 * DAY_MS;
    const fleet = await seedFleet(server.store, { seed: 5, machines: 120, days: 20, startUs: startMs * 1000 });
    const seeded: Seeded = { productA: server.seed.productA, fleet: fleet.productId };
    for (const [width, height, suffix] of [[1280, 900, ''], [390, 844, '-phone']] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      await logIn(page, server.url, server.adminToken);
      for (const [name, hash, ready] of PAGES) {
        if (suffix !== '' && !['overview', 'records'].includes(name)) continue;
        await page.goto(`${server.url}/${hash(seeded)}`);
        await ready(page);
        await page.waitForTimeout(200);
        await page.screenshot({ path: path.join(OUT, `${name}${suffix}.png`), fullPage: true });
        console.log(`docs/screenshots/${name}${suffix}.png`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.env.NODE_TEST_CONTEXT === undefined) await main();
