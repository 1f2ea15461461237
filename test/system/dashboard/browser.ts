import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium package; never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Why the browser tests cannot run here, or false. In CI (CI=true, set by .ci/run, which
 * installs chromium) a missing browser is not a reason: the tests run and fail.
 */
export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM_PATH) || process.env.CI === 'true') return false;
  return `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Logs in with the admin token through the login form's token option, as a user would, and waits for the overview. */
export async function logIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Log in with the admin token' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

/** Logs in with a name and password through the login form and waits for the overview. */
export async function logInWithPassword(page: Page, baseUrl: string, name: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Email or name', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

/** How many pixels of the canvas something was drawn on (alpha > 0): 0 for an empty chart. */
export async function drawnPixels(page: Page, selector: string): Promise<number> {
  const canvas = page.locator(selector).first();
  await canvas.waitFor();
  return canvas.evaluate((element) => {
    // The test's own types have no DOM; this is the part of a canvas the count needs.
    const c = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) drawn += 1;
    return drawn;
  });
}
