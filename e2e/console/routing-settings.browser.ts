// The Routing and Settings pages and relay key editing in Debian's Chromium (playwright-core),
// against the built relay serving the built console and a loopback fake upstream: an alias added
// and saved, simulated (with a key cooling after a 429), the key strategy changed, a relay key
// renamed, the pages in Simplified Chinese, and on a phone. Screenshots: e2e/console/screenshots.
import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  ACCESS_KEY,
  type RelayProcess,
  disposeRelay,
  fakeProvider,
  startRelayWithConfig,
} from '../support/relay-process';
import {
  launchChromium,
  openDesktopPage,
  openPhonePage,
  screenshot,
  setUpSuperadmin,
} from './support/chromium';

/** The page's DOM, as used by the functions that run inside Chromium (this project compiles without the DOM lib). */
declare const document: {
  querySelector(selector: string): { textContent: string | null; value?: string } | null;
  documentElement: { dataset: Record<string, string | undefined>; lang: string; scrollWidth: number };
};

const ADMIN = { username: 'admin', password: 'correct horse battery' };

describe('routing and settings pages in Chromium', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  const shot = (name: string, target: Page = page) => screenshot(target, name);
  const pageWidth = (target: Page) => target.evaluate(() => document.documentElement.scrollWidth);

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelayWithConfig({
      providers: {
        fake: fakeProvider(upstream.baseUrl, {
          keys: [
            { key: 'sk-e2e-1', label: 'k1' },
            { key: 'sk-e2e-2', label: 'k2' },
          ],
          models: { include: ['gpt-4o-mini', 'gpt-4o'] },
        }),
      },
      model_routing: { cascade: { enabled: true, models: ['gpt-4o'], max_retries: 1 } },
      log_store: { flush_interval_ms: 50 },
    });
    base = relay.url;
    await setUpSuperadmin(base, ADMIN);
    browser = await launchChromium();
    ({ context, page } = await openDesktopPage(browser));
  });

  after(async () => {
    await browser?.close();
    await disposeRelay(relay);
    await upstream?.close();
  });

  it('signs in', async () => {
    await page.goto(`${base}/#/login`);
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('username').fill(ADMIN.username);
    await page.getByTestId('password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('totals').waitFor();
  });

  it('routing: adds an alias and saves it into config.yml', async () => {
    await page.getByTestId('nav-routing').click();
    await page.getByTestId('aliases-add').waitFor();
    assert.equal(await page.getByTestId('cascade-model').first().inputValue(), 'gpt-4o');
    await page.getByTestId('aliases-add').click();
    await page.getByTestId('aliases-key').last().fill('team-fast');
    await page.getByTestId('aliases-value').last().fill('gpt-4o-mini');
    await page.getByTestId('routing-save').click();
    await page.getByTestId('routing-saved').waitFor();
    const config = await page.request.get(`${base}/api/config`);
    assert.equal(config.status(), 200);
    const { yaml } = (await config.json()) as { yaml: string };
    assert.match(yaml, /aliases:\s*\n\s+team-fast: gpt-4o-mini/);
    await page.reload();
    await page.getByTestId('aliases-key').first().waitFor();
    assert.equal(await page.getByTestId('aliases-key').first().inputValue(), 'team-fast');
    await shot('routing-desktop');
  });

  it('routing: simulates the alias; a key cooling after a 429 counts down', async () => {
    upstream.when({ key: 'sk-e2e-1' }, behaviours.rateLimited({ retryAfter: 300 }));
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(answer.status, 200, await answer.text());
    }
    await page.getByTestId('sim-model').fill('team-fast');
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-target').first().waitFor();
    assert.deepEqual(await page.getByTestId('sim-target-name').allTextContents(), [
      'gpt-4o-mini@fake',
      'gpt-4o@fake',
    ]);
    assert.equal(await page.getByTestId('sim-resolved').textContent(), 'gpt-4o-mini');
    const countdown = page.getByTestId('sim-key-countdown').first();
    const first = await countdown.textContent();
    assert.match(first ?? '', /^back in \d+ s$/);
    await page.waitForFunction(
      (was) => document.querySelector('[data-testid="sim-key-countdown"]')?.textContent !== was,
      first,
      { timeout: 5000 },
    );
    assert.equal(await page.getByTestId('sim-target-usable').first().textContent(), 'would be tried');
    await shot('routing-simulator');
  });

  it('settings: changes the key strategy and saves it; the page shows it after a reload', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('setting-strategy').waitFor();
    assert.equal(await page.getByTestId('setting-strategy').inputValue(), 'round-robin');
    await page.getByTestId('setting-strategy').selectOption('weighted');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.reload();
    await page.getByTestId('setting-strategy').waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="setting-strategy"]')?.value === 'weighted',
    );
    const config = await page.request.get(`${base}/api/config`);
    assert.match(((await config.json()) as { yaml: string }).yaml, /strategy: weighted/);
    await shot('settings-desktop');
  });

  it('keys: a relay key is renamed after creation', async () => {
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('key-name').fill('first name');
    await page.getByTestId('key-create').click();
    await page.getByTestId('key-created').waitFor();
    await page.getByTestId('key-edit').first().click();
    await page.getByTestId('key-edit-name').fill('second name');
    await shot('settings-key-edit');
    await page.getByTestId('key-edit-save').click();
    await page.getByTestId('key-edit-saved').waitFor();
    await page.getByTestId('key-table').getByText('second name').waitFor();
    const keys = (await (await page.request.get(`${base}/api/keys`)).json()) as Array<{ name: string }>;
    assert.deepEqual(
      keys.map((key) => key.name),
      ['second name'],
    );
  });

  it('Simplified Chinese: the routing and settings pages are translated', async () => {
    await page.getByTestId('lang').selectOption('zh-CN');
    await page.getByTestId('nav-routing').click();
    await page.getByTestId('aliases-add').waitFor();
    assert.equal(await page.getByTestId('nav-routing').textContent(), '路由');
    assert.equal(await page.locator('h1').textContent(), '路由');
    assert.match((await page.getByTestId('routing-aliases').locator('h3').textContent()) ?? '', /别名/);
    assert.match((await page.getByTestId('route-simulator').locator('h2').textContent()) ?? '', /路由模拟器/);
    await shot('routing-zh');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('setting-strategy').waitFor();
    assert.equal(await page.locator('h1').textContent(), '设置');
    assert.equal(await page.getByTestId('nav-settings').textContent(), '设置');
    assert.match((await page.getByTestId('settings-clear').locator('h3').textContent()) ?? '', /清除数据/);
    await shot('settings-zh');
    await page.getByTestId('lang').selectOption('en');
  });

  it('on a phone (390 x 844), light and dark: nothing scrolls sideways', async () => {
    const { phone, mobile } = await openPhonePage(browser, context);
    try {
      await mobile.goto(`${base}/#/routing`);
      await mobile.getByTestId('aliases-add').waitFor();
      await mobile.getByTestId('sim-model').fill('team-fast');
      await mobile.getByTestId('sim-run').click();
      await mobile.getByTestId('sim-target').first().waitFor();
      assert.ok((await pageWidth(mobile)) <= 390, `routing fits the phone (${await pageWidth(mobile)}px)`);
      await shot('routing-phone', mobile);
      await mobile.getByTestId('theme-toggle').click();
      await mobile.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
      await shot('routing-phone-dark', mobile);
      await mobile.goto(`${base}/#/settings`);
      await mobile.getByTestId('setting-strategy').waitFor();
      assert.ok((await pageWidth(mobile)) <= 390, `settings fit the phone (${await pageWidth(mobile)}px)`);
      await shot('settings-phone-dark', mobile);
      await mobile.goto(`${base}/#/keys`);
      await mobile.getByTestId('key-edit').first().click();
      await mobile.getByTestId('key-edit-form').waitFor();
      assert.ok(
        (await pageWidth(mobile)) <= 390,
        `key editing fits the phone (${await pageWidth(mobile)}px)`,
      );
      await shot('settings-phone-key-edit', mobile);
    } finally {
      await phone.close();
    }
  });
});
