// What every console browser test shares: Debian's Chromium driven by playwright-core (no
// downloaded browser), the screenshot folder, and the relay's first-run setup.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { ACCESS_KEY } from '../../support/relay-process';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS || join(process.cwd(), 'e2e/console/screenshots');

/** Headless Chromium with the flags this machine needs (no sandbox, no GPU, no network chatter). */
export async function launchChromium(): Promise<Browser> {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as `<name>.png` in the screenshot folder. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** First-run setup through the API: the superadmin `account`, authorised by the access key. */
export async function setUpSuperadmin(
  base: string,
  account: { username: string; password: string },
): Promise<void> {
  const response = await fetch(`${base}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...account, accessKey: ACCESS_KEY }),
  });
  assert.equal(response.status, 201, await response.text());
}

/** A desktop-sized page in English, with the timeout every step of these tests allows. */
export async function openDesktopPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * A 390 × 844 touch phone that shares `signedIn`'s cookies and storage (the same session); close
 * the returned context when done.
 */
export async function openPhonePage(
  browser: Browser,
  signedIn: BrowserContext,
): Promise<{ phone: BrowserContext; mobile: Page }> {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    storageState: await signedIn.storageState(),
  });
  const mobile = await phone.newPage();
  mobile.setDefaultTimeout(15_000);
  return { phone, mobile };
}
