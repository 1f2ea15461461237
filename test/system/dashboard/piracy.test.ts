import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { nowMicros } from '../../../src/model/clock.js';
import { startTestServer, type TestServer } from '../../http/test-server.js';
import { browserSkipReason, launchBrowser, logIn } from './browser.js';
import { byMachines, SEEDED_KEYS, seedLicenses } from './seed-licenses.js';

const skip = browserSkipReason();
/** A zone far from UTC: first and last seen are shown in it. */
const ZONE = 'America/New_York';
let server: TestServer;
let browser: Browser;
let page: Page;

/** A row of the piracy table as the page shows it. */
interface ShownRow {
  key: string;
  classes: string[];
  cells: string[];
  overSeats: boolean;
  causes: string[];
  blocked: boolean;
  blockButton: boolean;
}

/** The rows of the table on screen, once it has some (or the "nothing" note). */
async function shownRows(table = 'License keys'): Promise<ShownRow[]> {
  await page.locator('.insights table, .insights .no-rows').first().waitFor();
  const rows = page.getByRole('table', { name: table }).locator('tbody tr');
  return rows.evaluateAll((elements) => elements.map((element) => {
    // The test's own types have no DOM: the part of an element the assertions read.
    type El = { textContent: string | null; querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El>; getAttribute(n: string): string | null; children: ArrayLike<El> };
    const row = element as unknown as El;
    const all = (selector: string): El[] => Array.from(row.querySelectorAll(selector));
    return {
      key: row.querySelector('td code')?.textContent ?? '',
      classes: all('[data-class]').map((badge) => badge.getAttribute('data-class') ?? ''),
      cells: Array.from(row.children).map((cell) => (cell.textContent ?? '').trim()),
      overSeats: row.querySelector('.over-seats') !== null,
      causes: all('[data-cause]').map((cause) => cause.textContent ?? ''),
      blocked: row.querySelector('[data-blocked]') !== null,
      blockButton: all('button').some((button) => button.textContent === 'Block'),
    };
  }));
}

async function openTab(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Piracy classes' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('navigation', { name: 'Piracy classes' }).locator('[aria-current="page"]', { hasText: name }).waitFor();
}

const seeded = (key: string) => SEEDED_KEYS.find((k) => k.key === key);

/** A UTC instant as the page prints it to the minute in ZONE: `YYYY-MM-DD HH:MM`. */
function minuteIn(iso: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}`;
}

/**
 * The piracy page on license intelligence, in a real Chromium against a real server (SQLite)
 * with known license keys (seed-licenses.ts): tabs, seats, causes, client bugs apart, the
 * blocked state and blocking, search, and cursor paging.
 */
describe('piracy page in a headless Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    server = await startTestServer();
    await seedLicenses(server, nowMicros());
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: ZONE });
    await logIn(page, server.url, server.adminToken);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the shared key under Shared, its machines against its seats highlighted', async () => {
    await page.goto(`${server.url}/#/piracy`);
    await openTab('Shared');
    const rows = await shownRows();
    assert.deepEqual(rows.map((row) => row.key), ['LIC-SHARED']);
    const [shared] = rows;
    assert.equal(shared?.cells[2], '7 / 2 seats');
    assert.equal(shared?.overSeats, true);
    assert.deepEqual(shared?.classes, ['shared']);
    // Key, product, machines / seats, users, networks, versions, reports, flagged, client-bug reports, causes.
    assert.deepEqual(shared?.cells.slice(1, 9), ['Product A', '7 / 2 seats', '6', '3', '1.0.1, 1.1.0', '14', '0', '0']);
    assert.equal(shared?.cells[9], '–', 'no cause: nothing flagged');
    const answer = await fetch(`${server.url}/admin/api/licenses/insights?search=LIC-SHARED`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    const [row] = ((await answer.json()) as { data: { first_seen: string; last_seen: string }[] }).data;
    assert.ok(row !== undefined);
    assert.equal(await page.getByRole('columnheader', { name: `First / last seen (${ZONE})` }).count(), 1);
    const seen = page.getByRole('row').filter({ hasText: 'LIC-SHARED' }).locator('[data-seen]');
    assert.deepEqual(await seen.allTextContents(), [minuteIn(row.first_seen), minuteIn(row.last_seen)]);
  });

  it('lists the flagged keys under Suspicious with one label per cause, and not the client-bug key', async () => {
    await openTab('Suspicious');
    const rows = await shownRows();
    assert.deepEqual(rows.map((row) => row.key).sort(), SEEDED_KEYS.filter((k) => k.classes.includes('suspicious')).map((k) => k.key).sort());
    assert.ok(!rows.some((row) => row.key === 'LIC-BUGGY'), 'a client bug is not piracy');
    const causes = Object.fromEntries(rows.map((row) => [row.key, row.causes]));
    assert.deepEqual(causes['FAKE-KEY-1'], ['unknown key × 3', 'no activation × 3', 'inactive license × 3']);
    assert.deepEqual(causes['LIC-BLOCKED'], ['inactive license × 2']);
    assert.deepEqual(causes['LIC-BETA'], ['unreleased version × 2']);
  });

  it('shows a blocked key as blocked, without a Block button', async () => {
    const blocked = (await shownRows()).find((row) => row.key === 'LIC-BLOCKED');
    assert.equal(blocked?.blocked, true);
    assert.equal(blocked?.blockButton, false);
    assert.equal(seeded('LIC-BLOCKED')?.blocked, true);
  });

  it('blocks a key from its row: the row then shows it blocked, its Block button gone', async () => {
    const before = (await shownRows()).find((row) => row.key === 'FAKE-KEY-1');
    assert.equal(before?.blockButton, true);
    assert.equal(before?.blocked, false);
    await page.getByRole('button', { name: 'Block FAKE-KEY-1' }).click();
    await page.getByRole('status').filter({ hasText: /^Blocked FAKE-KEY-1 \(entry #\d+\)\.$/ }).waitFor();
    await page.getByRole('row').filter({ hasText: 'FAKE-KEY-1' }).locator('[data-blocked]').waitFor();
    const after = (await shownRows()).find((row) => row.key === 'FAKE-KEY-1');
    assert.equal(after?.blocked, true);
    assert.equal(after?.blockButton, false);
    assert.equal(await page.getByRole('button', { name: 'Block FAKE-KEY-1' }).count(), 0);
    const listed = await fetch(`${server.url}/admin/api/blocklist`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    const { entries } = (await listed.json()) as { entries: { kind: string; value: string; product_id: number | null }[] };
    assert.deepEqual(entries.map((e) => [e.kind, e.value, e.product_id]), [['license_key', 'FAKE-KEY-1', server.seed.productA]]);
  });

  it('shows the client-bug-only key under Client bugs, with its reports counted apart and no piracy label', async () => {
    await openTab('Client bugs');
    const rows = await shownRows();
    assert.deepEqual(rows.map((row) => row.key), ['LIC-BUGGY']);
    const [buggy] = rows;
    assert.deepEqual(buggy?.classes, ['client-bug']);
    assert.deepEqual(buggy?.causes, []);
    assert.deepEqual(buggy?.cells.slice(6, 10), ['5', '0', '3', '–'], 'reports, flagged, client-bug reports, causes');
  });

  it('pages through All with Next and Previous, in the order of the sort', async () => {
    await page.goto(`${server.url}/#/piracy?class=all&sort=machines&limit=10`);
    const first = await shownRows();
    assert.equal(first.length, 10);
    assert.equal(await page.getByRole('button', { name: 'Previous' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    const second = await shownRows();
    assert.deepEqual([...first, ...second].map((row) => row.key), byMachines(SEEDED_KEYS));
    assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true, 'the last page');
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1').waitFor();
    assert.deepEqual((await shownRows()).map((row) => row.key), first.map((row) => row.key));
  });

  it('searches license keys by a part of them, whatever the case', async () => {
    await page.getByLabel('Search license keys').fill('page-0');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/search=page-0/);
    await page.getByText('Page 1').waitFor();
    const rows = await shownRows();
    assert.deepEqual(rows.map((row) => row.key), Array.from({ length: 10 }, (_, i) => `LIC-PAGE-0${i}`));
  });

  it('lists user identifiers in the Users view: one user on two licenses is shared', async () => {
    await page.goto(`${server.url}/#/piracy?view=users&class=shared`);
    const rows = await shownRows('User identifiers');
    const mallory = rows.find((row) => row.key === 'mallory');
    assert.ok(mallory !== undefined, rows.map((row) => row.key).join(', '));
    assert.deepEqual(mallory.cells.slice(2, 4), ['2', '2'], 'machines, licenses');
    assert.ok(mallory.classes.includes('shared'));
  });
});
