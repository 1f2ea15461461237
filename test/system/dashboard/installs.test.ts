import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { InstallsBy, InstallsCounts, InstallsInterval } from '../../../src/model/installs.js';
import type { NewTelemetryRecord } from '../../../src/model/record.js';
import { startTestServer, type TestServer } from '../../http/test-server.js';
import { DAY_MS, seedFleet, storedRecords, type Fleet } from '../../insights/fleet.js';
import { bucketOf, installsTruth } from '../../insights/installs-truth.js';
import { browserSkipReason, drawnPixels, launchBrowser, logIn } from './browser.js';

const skip = browserSkipReason();
let server: TestServer;
let browser: Browser;
let page: Page;
let fleet: Fleet;
let records: NewTelemetryRecord[];

/** UTC midnight `days` days before today, in ms. */
function midnightBefore(days: number): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days);
}

/** The truth for the page's range: the last `days` UTC days, today included, up to now. */
function truth(days: number, interval: InstallsInterval, by: InstallsBy): InstallsCounts {
  return installsTruth(records, { productId: fleet.productId, fromUs: midnightBefore(days - 1) * 1000, toUs: Date.now() * 1000, interval, by, maxKeys: 20 });
}

/** Every bucket of the range, as the page lists them. */
function bucketsOf(days: number, interval: InstallsInterval): string[] {
  const out: string[] = [];
  for (let day = days - 1; day >= 0; day--) {
    const bucket = bucketOf(midnightBefore(day) * 1000, interval);
    if (out.at(-1) !== bucket) out.push(bucket);
  }
  return out;
}

/** The rows of a table (hidden in a closed disclosure or not) as trimmed cell texts. */
function rowsOf(where: string | Locator): Promise<string[][]> {
  const scope = typeof where === 'string' ? page.locator(where) : where;
  return scope.locator('tbody tr').evaluateAll((rows) => rows.map((row) => Array.from((row as unknown as { children: ArrayLike<{ textContent: string | null }> }).children).map((cell) => (cell.textContent ?? '').trim())));
}

/** What a chart draws, as its figure's `data-series` says. */
interface DrawnSeries {
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
}

async function seriesOf(chart: string): Promise<DrawnSeries> {
  return JSON.parse((await page.locator(`[data-chart="${chart}"]`).getAttribute('data-series')) ?? '{}') as DrawnSeries;
}

/** The activity chart's datasets the truth gives, over every bucket of the range. */
function activityTruth(all: InstallsCounts, buckets: readonly string[]): DrawnSeries {
  const pick = (name: 'machines' | 'users' | 'new_machines'): number[] => buckets.map((bucket) => all.series.find((row) => row.bucket === bucket)?.[name] ?? 0);
  return {
    labels: [...buckets],
    datasets: [{ label: 'Active machines', data: pick('machines') }, { label: 'Active users', data: pick('users') }, { label: 'New machines', data: pick('new_machines') }],
  };
}

const tileValue = (name: string): Promise<string | null> => page.locator(`[data-tile="${name}"] .tile-value`).textContent();
const percent = (text: string | undefined): number | null => (text === undefined || text === '–' ? null : Number(text.replace(' %', '')));

/**
 * The Installs page in a real Chromium against a real server (SQLite) holding a generated fleet
 * (test/insights/fleet.ts): every number and every chart's data asserted against the fleet's
 * truth, computed in plain TypeScript (test/insights/installs-truth.ts).
 */
describe('installs page in a headless Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    server = await startTestServer();
    // 14 days ending yesterday (UTC): inside the 30- and 90-day ranges, cut by the 7-day one.
    fleet = await seedFleet(server.store, { seed: 5, machines: 40, days: 14, startUs: midnightBefore(14) * 1000 });
    records = storedRecords(fleet);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, server.url, server.adminToken);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('tells how to send a first report when the product has no reports', async () => {
    await page.goto(`${server.url}/#/installs?product_id=${server.seed.productA}`);
    const empty = page.locator('[data-empty]');
    await empty.waitFor();
    assert.match((await empty.textContent()) ?? '', /No reports of Product A in this range/);
    assert.match((await empty.locator('pre').textContent()) ?? '', new RegExp(`product_id=${server.seed.productA} `));
  });

  it('shows active machines, active users and new machines of the last 30 days, and their chart per UTC day', async () => {
    await page.goto(`${server.url}/#/installs?product_id=${fleet.productId}&days=30&interval=day`);
    await page.locator('[data-chart="installs-activity"] canvas').waitFor();
    const all = truth(30, 'day', 'none');
    const fresh = all.series.reduce((sum, row) => sum + row.new_machines, 0);
    assert.ok(all.totals.machines > 30 && fresh === all.totals.machines, 'every machine of the fleet is new in the range');
    assert.equal(await tileValue('machines'), String(all.totals.machines));
    assert.equal(await tileValue('users'), String(all.totals.users));
    assert.equal(await tileValue('new-machines'), String(fresh));
    const expected = bucketsOf(30, 'day').map((bucket) => {
      const row = all.series.find((entry) => entry.bucket === bucket);
      return [bucket, String(row?.machines ?? 0), String(row?.users ?? 0), String(row?.new_machines ?? 0)];
    });
    assert.equal(expected.length, 30);
    assert.deepEqual(await seriesOf('installs-activity'), activityTruth(all, bucketsOf(30, 'day')), 'the chart draws the truth');
    assert.deepEqual(await rowsOf('[data-chart="installs-activity"]'), expected, 'and its table says the same');
    assert.ok((await drawnPixels(page, '[data-chart="installs-activity"] canvas')) > 1000, 'the lines are drawn');
    assert.equal(await page.locator('[data-chart="installs-activity"] figcaption').textContent(), 'Active and new machines and users per UTC day');
    assert.equal(await page.locator('[data-chart="installs-activity"] thead th').first().textContent(), 'UTC day', 'the buckets are named UTC days');
  });

  it('charts version adoption as each version\'s share of the active machines per bucket', async () => {
    const all = truth(30, 'day', 'none');
    const versions = truth(30, 'day', 'version');
    const keys = [...new Set(versions.series.map((row) => row.key))];
    const headers = await page.locator('[data-chart="version-adoption"] thead th').allTextContents();
    assert.deepEqual(headers.slice(1).sort(), [...keys].sort(), 'one column (one line) per version');
    assert.ok(keys.includes('2.1.0-beta') && keys.includes('unknown'), 'the unreleased version and reports without one are there');
    const rows = await rowsOf('[data-chart="version-adoption"]');
    let checked = 0;
    for (const [bucket, ...cells] of rows) {
      const whole = all.series.find((row) => row.bucket === bucket)?.machines ?? 0;
      headers.slice(1).forEach((key, i) => {
        const shown = percent(cells[i]);
        if (whole === 0) return assert.equal(shown, null, `${bucket}: no machines, no share`);
        const part = versions.series.find((row) => row.bucket === bucket && row.key === key)?.machines ?? 0;
        assert.ok(shown !== null && Math.abs(shown - (100 * part) / whole) <= 0.005, `${bucket} ${key}: ${shown} for ${part}/${whole}`);
        checked += 1;
      });
    }
    assert.ok(checked > 14 * 3, `${checked} shares checked`);
    const drawn = await seriesOf('version-adoption');
    assert.deepEqual(drawn.labels, bucketsOf(30, 'day'));
    assert.deepEqual(drawn.datasets.map((d) => d.label).sort(), [...keys].sort());
    for (const dataset of drawn.datasets) {
      dataset.data.forEach((value, i) => {
        const bucket = drawn.labels[i] ?? '';
        const whole = all.series.find((row) => row.bucket === bucket)?.machines ?? 0;
        const part = versions.series.find((row) => row.bucket === bucket && row.key === dataset.label)?.machines ?? 0;
        if (whole === 0) assert.equal(value, null, `${bucket} ${dataset.label}: a gap`);
        else assert.ok(value !== null && Math.abs(value - (100 * part) / whole) <= 0.005, `${bucket} ${dataset.label}: drawn ${value} for ${part}/${whole}`);
      });
    }
    assert.ok((await drawnPixels(page, '[data-chart="version-adoption"] canvas')) > 1000);
  });

  it('splits the machines of the latest UTC day with reports by OS, and lists the versions of that day', async () => {
    const latest = truth(30, 'day', 'none').series.at(-1)?.bucket ?? '';
    const lastFleetDay = new Date(fleet.startUs / 1000 + (fleet.days - 1) * DAY_MS).toISOString().slice(0, 10);
    assert.equal(latest, lastFleetDay);
    assert.match((await page.locator('[data-chart="os-split"] figcaption').textContent()) ?? '', new RegExp(`UTC day ${latest}$`));
    const os = truth(30, 'day', 'os').series.filter((row) => row.bucket === latest);
    const shown = (await rowsOf('[data-chart="os-split"]')).map(([key, machines]) => [key, machines]);
    assert.deepEqual(shown.sort(), os.map((row) => [row.key, String(row.machines)]).sort());
    const drawn = await seriesOf('os-split');
    assert.deepEqual(drawn.labels.map((label, i) => [label, drawn.datasets[0]?.data[i]]).sort(), os.map((row) => [row.key, row.machines]).sort());
    assert.ok((await drawnPixels(page, '[data-chart="os-split"] canvas')) > 500);
    const versions = truth(30, 'day', 'version');
    const table = await rowsOf(page.getByRole('table', { name: /^Versions:/ }));
    const expected = [...new Set(versions.series.map((row) => row.key))].map((key) => {
      const row = versions.series.find((entry) => entry.bucket === latest && entry.key === key);
      const fresh = versions.series.filter((entry) => entry.key === key).reduce((sum, entry) => sum + entry.new_machines, 0);
      return [key, String(row?.machines ?? 0), String(row?.users ?? 0), String(fresh)];
    });
    assert.deepEqual(table.map(([key, machines, , users, fresh]) => [key, machines, users, fresh]).sort(), expected.sort());
  });

  it('counts per ISO week over the last 7 days after the filters change', async () => {
    await page.getByLabel('Time range').selectOption('7');
    await page.getByLabel('Interval').selectOption('week');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/days=7&interval=week/);
    await page.locator('[data-chart="installs-activity"] figcaption').filter({ hasText: 'per ISO week (UTC), by its Monday' }).waitFor();
    const all = truth(7, 'week', 'none');
    assert.ok(all.totals.machines < truth(30, 'day', 'none').totals.machines, 'the 7 days cut the fleet');
    assert.equal(await tileValue('machines'), String(all.totals.machines));
    assert.equal(await tileValue('users'), String(all.totals.users));
    assert.equal(await tileValue('new-machines'), String(all.series.reduce((sum, row) => sum + row.new_machines, 0)));
    const expected = bucketsOf(7, 'week').map((bucket) => {
      const row = all.series.find((entry) => entry.bucket === bucket);
      return [bucket, String(row?.machines ?? 0), String(row?.users ?? 0), String(row?.new_machines ?? 0)];
    });
    assert.deepEqual(await rowsOf('[data-chart="installs-activity"]'), expected);
    assert.deepEqual(await seriesOf('installs-activity'), activityTruth(all, bucketsOf(7, 'week')));
  });
});
