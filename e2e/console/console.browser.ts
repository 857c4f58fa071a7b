// The admin console in Debian's Chromium (playwright-core, no downloaded browser), against the built
// relay serving the built console, with the loopback fake upstream. One story, step by step:
// first-run setup, sign-in, a /v1 request appearing live in the log, its detail (tabs and views),
// theme and language, every page on a phone-sized screen. Screenshots go to e2e/console/screenshots.
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
import { launchChromium, openDesktopPage, openPhonePage, screenshot } from './support/chromium';

/** The page's DOM, as used by the functions that run inside Chromium (this project compiles without the DOM lib). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
  documentElement: { dataset: Record<string, string | undefined>; lang: string; scrollWidth: number };
};

const ADMIN = { username: 'admin', password: 'correct horse battery' };
const NEW_PASSWORD = 'a brand new passphrase';
const PROMPT = 'Say hello from the browser test';

describe('admin console in Chromium', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  const shot = (name: string, target: Page = page) => screenshot(target, name);

  /** Sends one chat completion through /v1 with `key` (not awaited by the caller when it wants to watch it run). */
  const chat = (key: string, body: Record<string, unknown>) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelayWithConfig({
      providers: {
        fake: fakeProvider(upstream.baseUrl, {
          // Two keys: after the 5xx step one of them backs off, and the other keeps serving.
          keys: [
            { key: 'sk-e2e-1', label: 'k1' },
            { key: 'sk-e2e-2', label: 'k2' },
          ],
          models: { include: ['gpt-4o-mini', 'slow-model'] },
        }),
      },
      log_store: { flush_interval_ms: 50 },
    });
    base = relay.url;
    browser = await launchChromium();
    ({ context, page } = await openDesktopPage(browser));
  });

  after(async () => {
    await browser?.close();
    await disposeRelay(relay);
    await upstream?.close();
  });

  it('first run: the setup screen makes the superadmin with the access key', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('setup-form').waitFor();
    await shot('01-setup');
    await page.getByTestId('setup-access-key').fill('not-the-key');
    await page.getByTestId('username').fill(ADMIN.username);
    await page.getByTestId('password').fill(ADMIN.password);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('login-error').waitFor();
    await page.getByTestId('setup-access-key').fill(ACCESS_KEY);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('totals').waitFor();
    assert.match(page.url(), /#\/dashboard$/);
    assert.equal(await page.getByTestId('who').textContent(), ADMIN.username);
  });

  it('signs out, refuses a wrong password, signs in with the right one', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await shot('02-login');
    await page.getByTestId('username').fill(ADMIN.username);
    await page.getByTestId('password').fill('wrong password here');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    await page.getByTestId('password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('totals').waitFor();
  });

  it('an expired access cookie is refreshed without a new sign-in', async () => {
    await context.clearCookies({ name: 'mr_access' });
    await page.reload();
    await page.getByTestId('totals').waitFor();
    assert.equal(await page.getByTestId('who').textContent(), ADMIN.username);
  });

  it('a /v1 request shows up live: in flight on top, then finished in place', async () => {
    await page.getByTestId('nav-logs').click();
    await page.locator('[data-testid="live-state"].on').waitFor();
    upstream.when(
      { model: 'slow-model' },
      behaviours.ok({ delayMs: 1500, content: 'Hello from the fake upstream' }),
    );
    const answer = chat(ACCESS_KEY, { model: 'slow-model', messages: [{ role: 'user', content: PROMPT }] });
    const running = page.locator('[data-testid="log-row"][data-state="pending"]');
    await running.first().waitFor();
    const id = await running.first().getAttribute('data-id');
    assert.ok(id);
    assert.equal((await answer).status, 200);
    const finished = page.locator(`[data-testid="log-row"][data-id="${id}"][data-state="success"]`);
    await finished.waitFor();
    assert.equal(
      await page.locator('[data-testid="log-row"]').count(),
      1,
      'updated in place, not added twice',
    );
    await shot('03-logs-live');
  });

  it('a row opens to the entry: Relay and Client tabs, conversation and raw JSON', async () => {
    await page.locator('[data-testid="log-row"]').first().click();
    const detail = page.getByTestId('log-detail');
    await detail.waitFor();
    await detail.getByTestId('exchange-relay-conversation').waitFor();
    await detail.getByText(PROMPT).first().waitFor();
    await detail.getByText('Hello from the fake upstream').first().waitFor();
    await detail.getByTestId('tab-client').click();
    await detail.getByTestId('exchange-client-conversation').waitFor();
    await detail.getByTestId('view-raw').click();
    await detail.getByTestId('exchange-client-raw').waitFor();
    const raw = await detail.getByTestId('raw-request').textContent();
    assert.match(raw ?? '', /"messages"/);
    assert.match(raw ?? '', /"slow-model"/);
    await detail.getByTestId('tab-relay').click();
    await detail.getByTestId('exchange-relay-raw').waitFor();
    await shot('04-log-detail');
  });

  it('a failed request arrives opened, with its error', async () => {
    upstream.when({ model: 'gpt-4o-mini' }, behaviours.serverError(500), { times: 1 });
    const response = await chat(ACCESS_KEY, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'fail please' }],
    });
    assert.ok(response.status >= 500, `status ${response.status}`);
    const failed = page.locator('[data-testid="log-row"][data-state="failed"]');
    await failed.first().waitFor();
    assert.equal(await failed.first().getAttribute('aria-expanded'), 'true');
    await page.getByTestId('log-error').first().waitFor();
    await shot('05-logs-error');
  });

  it('an Anthropic client on an OpenAI upstream: Client shows its own format, Relay the translated one', async () => {
    const response = await fetch(`${base}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': ACCESS_KEY,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        max_tokens: 200,
        stream: true,
        messages: [{ role: 'user', content: 'Stream to me' }],
      }),
    });
    assert.equal(response.status, 200);
    await response.text();
    const row = page.locator('[data-testid="log-row"][data-state="success"]').first();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="log-row"]')?.textContent?.includes('gpt-4o-mini') ?? false,
    );
    await row.click();
    const detail = page.getByTestId('log-detail').filter({ hasText: '/v1/messages' });
    await detail.getByTestId('exchange-relay-conversation').waitFor();
    // The streamed answer, put back together from the stored events, on both sides.
    await detail.getByText('Echo: Stream to me').first().waitFor();
    await detail.getByTestId('tab-client').click();
    await detail.getByTestId('exchange-client-conversation').getByText('Echo: Stream to me').waitFor();
    await detail.getByTestId('view-raw').click();
    const clientRaw = (await detail.getByTestId('raw-response').textContent()) ?? '';
    assert.match(clientRaw, /content_block_delta/, 'the client got Anthropic events');
    await detail.getByTestId('tab-relay').click();
    await detail.getByTestId('exchange-relay-raw').waitFor();
    const relayRaw = (await detail.getByTestId('raw-response').textContent()) ?? '';
    assert.match(relayRaw, /chat\.completion\.chunk/, 'the upstream sent OpenAI chunks');
    await shot('05b-log-detail-translated');
    await row.click(); // close it again
  });

  it('the page size selector and the status filter reload the list', async () => {
    await page
      .getByTestId('filter-user')
      .locator('option', { hasText: ADMIN.username })
      .waitFor({ state: 'attached' });
    await page.getByTestId('limit').selectOption('20');
    await page.getByTestId('filter-status').selectOption('error');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="log-row"]').length === 1,
      undefined,
      { timeout: 10_000 },
    );
    await page.getByTestId('filter-status').selectOption('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length === 3);
  });

  it('pages by cursor: older pages are not live, Newest goes back to the live page', async () => {
    const rows = () => page.locator('[data-testid="log-row"]').count();
    for (let i = 0; i < 22; i++) {
      const response = await chat(ACCESS_KEY, {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `n${i}` }],
      });
      assert.equal(response.status, 200);
    }
    // Live entries beyond the page size push the oldest off page one.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length === 20);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the write-behind flush (50 ms here)
    await page.getByTestId('page-older').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length === 5);
    assert.equal(await page.locator('[data-testid="live-state"].on').count(), 0, 'page two is not live');
    assert.equal(await page.getByTestId('page-older').isDisabled(), true);
    await page.getByTestId('page-newest').click();
    await page.locator('[data-testid="live-state"].on').waitFor();
    assert.equal(await rows(), 20);
    await page.getByTestId('limit').selectOption('50');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length === 25);
  });

  it('dark theme is remembered; Simplified Chinese switches every label at once', async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset['theme']);
    const before = await theme();
    await page.getByTestId('theme-toggle').click();
    await page.waitForFunction((was) => document.documentElement.dataset['theme'] !== was, before);
    const toggled = await theme();
    await page.reload();
    await page.getByTestId('log-table').waitFor();
    assert.equal(await theme(), toggled, 'remembered across a reload');
    if (toggled !== 'dark') await page.getByTestId('theme-toggle').click();
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
    await shot('06-logs-dark');

    await page.getByTestId('lang').selectOption('zh-CN');
    await page.locator('[data-testid="nav-logs"]', { hasText: '请求日志' }).waitFor();
    await page.getByRole('heading', { name: '请求日志' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await shot('07-logs-zh');
    await page.getByTestId('nav-dashboard').click();
    await page.getByText('连接客户端').waitFor();
    await shot('08-dashboard-zh-dark');
    await page.getByTestId('lang').selectOption('en');
    await page.getByTestId('theme-toggle').click();
    await page.locator('[data-testid="nav-logs"]', { hasText: 'Request logs' }).waitFor();
  });

  it('dashboard: totals, charts and copy-ready snippets with this relay’s URL', async () => {
    await page.getByTestId('nav-dashboard').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="total-requests"]')?.textContent) >= 2,
    );
    assert.equal(await page.getByTestId('base-url').textContent(), `${base}/v1`);
    await page.getByTestId('snippet-claude').click();
    await page.getByTestId('snippet-code').getByText(`export ANTHROPIC_BASE_URL=${base}`).waitFor();
    await page.getByTestId('snippet-openai').click();
    assert.ok(await page.getByTestId('chart-requests').isVisible());
    await shot('09-dashboard');
  });

  it('keys: a new key is shown once and works on /v1 within its limit; revoked, it stops', async () => {
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('key-name').fill('browser test');
    await page.locator('input[name="rpm"]').fill('1');
    await page.getByTestId('key-create').click();
    const secret = (await page.getByTestId('key-secret').textContent())?.trim() ?? '';
    assert.match(secret, /^mr-/);
    await page.locator('[data-testid="key-row"]', { hasText: '1/min' }).waitFor();
    await shot('10-keys');
    assert.equal(
      (await chat(secret, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).status,
      200,
    );
    assert.equal(
      (await chat(secret, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] })).status,
      429,
      'one request per minute',
    );
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('key-revoke').first().click();
    await page.locator('[data-testid="key-row"] .badge.bad').first().waitFor();
    assert.equal(
      (await chat(secret, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).status,
      401,
    );
  });

  it('users (admin): an invite link signs a new user up; the admin disables them', async () => {
    await page.getByTestId('nav-users').click();
    await page.locator('[data-testid="user-row"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="user-row"]').count(), 1);
    await page.getByTestId('invite-create').click();
    const url = (await page.getByTestId('invite-url').textContent())?.trim() ?? '';
    assert.match(url, new RegExp(`^${base}/#/signup\\?invite=`));
    await shot('11-users');

    const guest = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    try {
      const signup = await guest.newPage();
      signup.setDefaultTimeout(15_000);
      await signup.goto(url);
      const form = signup.getByTestId('signup-form');
      await form.locator('input[name="username"]').fill('bob');
      await form.locator('input[name="password"]').fill('Quiet harbour lanterns 7');
      await signup.getByTestId('signup-submit').click();
      await signup.locator('[data-testid="totals"], [data-testid="login-error"]').first().waitFor();
      const refusal = signup.getByTestId('login-error');
      if ((await refusal.count()) > 0) assert.fail(`sign-up refused: ${await refusal.textContent()}`);
      assert.equal(await signup.getByTestId('who').textContent(), 'bob');
      // A browser asking for Chinese gets it from the start; a plain user sees no Users page.
      await signup.locator('[data-testid="nav-logs"]', { hasText: '请求日志' }).waitFor();
      assert.equal(await signup.getByTestId('nav-users').count(), 0);
    } finally {
      await guest.close();
    }

    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-row"]').length === 2);
    const bob = page.locator('[data-testid="user-row"]', { hasText: 'bob' });
    await bob.getByRole('button', { name: 'Disable' }).click();
    await bob.locator('.badge.bad', { hasText: 'Disabled' }).waitFor();
    const refused = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bob', password: 'Quiet harbour lanterns 7' }),
    });
    assert.ok(refused.status >= 400, `a disabled account cannot sign in (${refused.status})`);
  });

  it('config (admin): an error is marked at its line, the fix saves and applies', async () => {
    await page.getByTestId('nav-config').click();
    const editor = page.getByTestId('config-editor');
    await editor.locator('.cm-line', { hasText: 'flush_interval_ms' }).waitFor();
    await page.getByTestId('config-status').getByText('No changes').waitFor();
    const shown = (await editor.locator('.cm-content').textContent()) ?? '';
    assert.ok(!shown.includes('sk-e2e-1') && !shown.includes(ACCESS_KEY), 'secrets are masked');
    assert.ok(shown.includes('********'));
    assert.equal(await page.getByTestId('config-save').isDisabled(), true, 'nothing to save yet');

    const lines = await editor.locator('.cm-line').allTextContents();
    const lineNo = lines.findIndex((l) => l.includes('flush_interval_ms')) + 1;
    assert.ok(lineNo > 0);
    await editor.locator('.cm-line', { hasText: 'flush_interval_ms' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('lots');
    const problem = page.getByTestId('config-problem').filter({ hasText: 'log_store.flush_interval_ms' });
    await problem.waitFor();
    assert.match((await problem.textContent()) ?? '', new RegExp(`^\\s*Line ${lineNo}(?!\\d)`));
    await editor.locator('.cm-lintRange-error').first().waitFor();
    await editor.locator('.cm-lint-marker-error').first().waitFor();
    assert.equal(await page.getByTestId('config-save').isDisabled(), true, 'no save while invalid');
    await shot('16-config-error');

    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('75');
    await page.getByTestId('config-status').getByText('Valid').waitFor();
    assert.equal(await page.getByTestId('config-problem').count(), 0);
    await page.getByTestId('config-save').click();
    await page.getByTestId('config-saved').waitFor();
    await page.getByTestId('config-source').getByText('saved from this page').waitFor();
    await editor.locator('.cm-line', { hasText: 'flush_interval_ms: 75' }).waitFor();
    await shot('17-config-saved');
  });

  it('account: the signed-in user changes their password and signs in with the new one', async () => {
    await page.getByTestId('who').click();
    const form = page.getByTestId('password-form');
    await form.waitFor();
    await form.locator('input[name="current"]').fill(ADMIN.password);
    await form.locator('input[name="next"]').fill(NEW_PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.getByTestId('account-notice').waitFor();
    await shot('12-account');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('username').fill(ADMIN.username);
    await page.getByTestId('password').fill(NEW_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('totals').waitFor();
  });

  it('on a phone: the menu folds, tables drop columns, the log detail stacks', async () => {
    const { phone, mobile } = await openPhonePage(browser, context);
    try {
      await mobile.goto(`${base}/#/logs`);
      await mobile.getByTestId('log-table').waitFor();
      assert.equal(await mobile.getByTestId('nav-logs').isVisible(), false, 'navigation folded');
      const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling of the page (${width}px)`);
      await mobile.locator('[data-testid="log-row"]').first().waitFor();
      await shot('13-phone-logs', mobile);
      await mobile.getByTestId('menu-toggle').click();
      await mobile.getByTestId('nav-dashboard').waitFor();
      await shot('14-phone-menu', mobile);
      await mobile.getByTestId('nav-dashboard').click();
      await mobile.getByTestId('totals').waitFor();
      await shot('15-phone-dashboard', mobile);
      await mobile.goto(`${base}/#/config`);
      await mobile.getByTestId('config-editor').locator('.cm-line').first().waitFor();
      const configWidth = await mobile.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(configWidth <= 390, `the config editor fits the phone (${configWidth}px)`);
      await shot('15b-phone-config', mobile);
    } finally {
      await phone.close();
    }
  });

  it('admins can clear the log; the live view empties', async () => {
    await page.getByTestId('nav-logs').click();
    await page.locator('[data-testid="log-row"]').first().waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('clear-logs').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length === 0);
  });
});
