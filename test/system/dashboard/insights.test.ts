import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DAY_US, nowMicros } from '../../../src/model/clock.js';
import type { NewTelemetryRecord } from '../../../src/model/record.js';
import { form, post, startTestServer, type TestServer } from '../../http/test-server.js';
import { browserSkipReason, drawnPixels, launchBrowser, logIn } from './browser.js';
import { seedTelemetry, type SeededTelemetry } from './seed-telemetry.js';

const skip = browserSkipReason();
/** A zone far from UTC and without half hours, so local and UTC times differ by whole hours. */
const ZONE = 'America/New_York';
let server: TestServer;
let seeded: SeededTelemetry;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** Sends one report of product A through the public API, as a client would. */
async function send(fields: Record<string, string>): Promise<void> {
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form({
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', ...fields,
  }), 'application/x-www-form-urlencoded');
  assert.equal(answer.response.code, 830, JSON.stringify(answer.response));
}

/** A UTC instant as the dashboard prints it in `zone`: `YYYY-MM-DD HH:MM:SS`. */
function shownIn(zone: string, iso: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']}`;
}

/**
 * Issue 17's dashboard (docs/dashboard.md): the favicon, the empty states, local time with a UTC
 * toggle, the version picker and per-version chart, text patterns, installs and the piracy tabs,
 * in a real headless Chromium against a real server (SQLite).
 */
describe('dashboard insights in a headless Chromium', { skip, timeout: 90_000 }, () => {
  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: ZONE });
    page = await context.newPage();
    await logIn(page, server.url, server.adminToken);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the favicon the page links', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    assert.equal(href, '/favicon.svg');
    // Loaded as an image by the page itself, so the page's CSP (img-src) has to allow it.
    const loaded = await page.evaluate(async (url) => {
      const image = new (globalThis as unknown as { Image: new () => { src: string; decode(): Promise<void>; naturalWidth: number } }).Image();
      image.src = url;
      await image.decode();
      return image.naturalWidth;
    }, href);
    assert.ok(loaded > 0, 'the browser decodes it as an image');
  });

  it('tells a new user how to send a first report, with the product id filled in, on pages without data', async () => {
    for (const hash of ['#/overview', '#/groups', '#/records', '#/live']) {
      await page.goto(`${server.url}/${hash}`);
      const empty = page.locator('[data-empty]');
      await empty.waitFor();
      const curl = (await empty.locator('pre').textContent()) ?? '';
      assert.match(curl, new RegExp(`^curl -s ${server.url}/api/v1/send-telemetry-data`), hash);
      assert.match(curl, new RegExp(`product_id=${server.seed.productA} `), hash);
      assert.match(curl, /product_version=1\.0\.1 /, `${hash}: the product's first version`);
    }
  });

  it('shows times in the local time zone, and in UTC after the toggle, remembered across reloads', async () => {
    seeded = await seedTelemetry(server.store, server.seed, nowMicros());
    const [first] = await server.store.telemetry.list({ limit: 1 });
    assert.ok(first !== undefined && seeded.total > 0);
    const created = new Date(first.created_at_us / 1000).toISOString();
    await page.goto(`${server.url}/#/records?limit=25`);
    const row = page.locator('tbody tr').first();
    await row.waitFor();
    assert.equal(await page.getByRole('columnheader', { name: `Received (${ZONE})` }).count(), 1);
    assert.equal(await row.locator('td').nth(1).textContent(), shownIn(ZONE, created));
    await page.getByRole('button', { name: /^Times: local/ }).click();
    await page.getByRole('columnheader', { name: 'Received (UTC)' }).waitFor();
    assert.equal(await page.locator('tbody tr').first().locator('td').nth(1).textContent(), shownIn('UTC', created));
    await page.reload();
    await page.getByRole('columnheader', { name: 'Received (UTC)' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Times: UTC' }).count(), 1);
    await page.getByRole('button', { name: 'Times: UTC' }).click();
    await page.getByRole('columnheader', { name: `Received (${ZONE})` }).waitFor();
  });

  it('groups text values by pattern, with the exact strings a click away', async () => {
    for (const address of ['0x7ffd3a2c', '0x0040ab11', '0x7ffd3a2c']) await send({ data_type: 'text', data_group: 'crashes', text_data: `Unhandled exception at ${address}` });
    await send({ data_type: 'text', data_group: 'crashes', text_data: 'out of memory' });
    await page.goto(`${server.url}/#/groups?data_group=crashes`);
    const patterns = page.getByRole('table', { name: 'Text values by pattern' });
    await patterns.waitFor();
    assert.deepEqual(await patterns.locator('tbody tr').evaluateAll((rows) => rows.map((row) => (row as unknown as { innerText: string }).innerText.split('\t').map((cell) => cell.trim()))), [
      ['Unhandled exception at 0x<hex>', '3', '2'],
      ['out of memory', '1', '1'],
    ]);
    const exact = page.getByRole('list', { name: 'Exact values of Unhandled exception at 0x<hex>' });
    assert.equal(await exact.isVisible(), false, 'closed until asked for');
    await page.getByText('Unhandled exception at 0x<hex>', { exact: true }).click();
    await exact.waitFor();
    assert.deepEqual(await exact.locator('li').allTextContents(), ['Unhandled exception at 0x7ffd3a2c × 2', 'Unhandled exception at 0x0040ab11 × 1']);
  });

  it('compares versions: a picker of the versions seen, the most reported picked, p50 solid and p90 dashed per version', async () => {
    const today = Math.floor(nowMicros() / DAY_US) * DAY_US;
    const [day1, day2] = [today - 2 * DAY_US, today - DAY_US];
    const values: [string, number, number[]][] = [
      ['3.0.0', day1, [1, 2, 3, 4, 5]], ['2.0.0', day1, [10, 20, 30, 40]], ['1.5.0', day2, [7, 8, 9]], ['1.0.0', day1, [300, 100]], ['0.9.0', day2, [42]],
    ];
    const base: NewTelemetryRecord = {
      api_key_id: 1, product_id: server.seed.productA, user_identifier: 'u', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
      product_version: null, data_type: 'numeric-single-value', data_group: 'load_ms', data: null, numeric_data_single_value: null,
      numeric_data_x: null, numeric_data_y: null, text_data: null, is_correct_format: 1, product_exists: 1, license_key_exists: 1,
      product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0, blocked: 0, errors: {}, metadata: {},
      client_ip: null, created_at_us: 0, reported_at_us: null,
    };
    await server.store.telemetry.insertMany(values.flatMap(([version, day, list]) => list.map((v, i) => ({
      ...base, product_version: version, data: String(v), numeric_data_single_value: v, created_at_us: day + 12 * 3_600_000_000 + i,
    }))));
    /** Each version's line as the test computes it: nearest rank ⌈p·n/100⌉ of the sorted values, on its UTC day. */
    const line = (version: string, stat: 'p50' | 'p90'): Record<string, number> => {
      const [, day, list] = values.find(([v]) => v === version) ?? ['', 0, []];
      const sorted = [...list].sort((a, b) => a - b);
      return { [new Date(day / 1000).toISOString().slice(0, 10)]: sorted[Math.ceil(((stat === 'p50' ? 50 : 90) * sorted.length) / 100) - 1] ?? NaN };
    };
    const expected = (versions: string[]): [string, boolean, Record<string, number>][] =>
      versions.flatMap((v) => [[`${v} p50`, false, line(v, 'p50')], [`${v} p90`, true, line(v, 'p90')]] as [string, boolean, Record<string, number>][]);
    const shown = async (): Promise<[string, boolean, Record<string, number>][]> => {
      const figure = page.locator('[data-chart="value-over-time"]');
      const labels = JSON.parse((await figure.getAttribute('data-labels')) ?? '[]') as string[];
      const series = JSON.parse((await figure.getAttribute('data-series')) ?? '[]') as { label: string; dashed: boolean; color: string; data: (number | null)[] }[];
      return series.map((s) => [s.label, s.dashed, Object.fromEntries(s.data.flatMap((d, i) => (d === null ? [] : [[labels[i] ?? '', d]])))]);
    };
    const colors = async (): Promise<Record<string, string>> => Object.fromEntries(
      (JSON.parse((await page.locator('[data-chart="value-over-time"]').getAttribute('data-series')) ?? '[]') as { label: string; color: string }[]).map((s) => [s.label, s.color]));

    await page.goto(`${server.url}/#/groups?data_group=load_ms`);
    const picker = page.getByRole('group', { name: /^Versions/ });
    await picker.waitFor();
    assert.deepEqual(await picker.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => [(b as unknown as { value: string }).value, (b as unknown as { checked: boolean }).checked])),
      [['3.0.0', true], ['2.0.0', true], ['1.5.0', true], ['1.0.0', true], ['0.9.0', false]], 'most reported first, the top four picked');
    assert.deepEqual(await shown(), expected(['3.0.0', '2.0.0', '1.5.0', '1.0.0']));
    const before = await colors();
    assert.equal(new Set(Object.values(before)).size, 4, 'one colour per version');
    assert.equal(before['3.0.0 p50'], before['3.0.0 p90'], 'p50 and p90 of a version share its colour');

    await picker.getByRole('checkbox', { name: /0\.9\.0/ }).check();
    await page.getByRole('status').filter({ hasText: '5 versions shown.' }).waitFor();
    assert.deepEqual(await shown(), expected(['3.0.0', '2.0.0', '1.5.0', '1.0.0', '0.9.0']));
    await picker.getByRole('checkbox', { name: /2\.0\.0/ }).uncheck();
    await page.getByRole('status').filter({ hasText: '4 versions shown.' }).waitFor();
    assert.deepEqual(await shown(), expected(['3.0.0', '1.5.0', '1.0.0', '0.9.0']), 'unpicking 2.0.0 removes its two lines');
    const after = await colors();
    assert.equal(after['1.5.0 p50'], before['1.5.0 p50'], 'a version keeps its colour when another is unpicked');
    assert.match(page.url(), /versions=3\.0\.0%2C1\.5\.0%2C1\.0\.0%2C0\.9\.0/, 'the picks are kept in the address');
    assert.ok((await drawnPixels(page, '[data-chart="value-over-time"] canvas')) > 100, 'the lines are drawn');
  });
});
