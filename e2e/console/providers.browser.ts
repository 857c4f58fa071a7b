// The Providers page in Debian's Chromium against the built relay, which starts with no provider for
// the loopback fake upstream: the admin adds one from the console, tests it, picks its models, sends
// a request through it, imports keys, watches a rate-limited key count down to recovery, restores a
// key the upstream refused, reads the page in Chinese and on a phone, and deletes it all again.
// Screenshots go to e2e/console/screenshots/providers-*.png.
import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ACCESS_KEY, type RelayProcess, disposeRelay, startRelayWithConfig } from '../support/relay-process';
import { launchChromium, openDesktopPage, openPhonePage, screenshot } from './support/chromium';

/** The page's DOM, as used by the functions that run inside Chromium (this project compiles without the DOM lib). */
declare const document: {
  documentElement: { scrollWidth: number };
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};

const ADMIN = { username: 'admin', password: 'correct horse battery' };
const UPSTREAM_MODELS = ['gpt-4o-mini', 'gpt-4o', 'o3-mini'];
const PICKED_MODEL = 'gpt-4o-mini';
const FIRST_KEY = 'sk-e2e-ui-key-0001';
const IMPORTED_KEYS = ['sk-e2e-ui-key-0002', 'sk-e2e-ui-key-0003'];
const TEST_ANSWER = 'Hello from the provider test';
/** English words of the page that must all be gone once it is switched to Chinese. */
const ENGLISH_ON_PAGE = [
  'All providers',
  'Delete provider',
  'Requests (24 h)',
  'Error rate',
  'p50 latency',
  'Fetch models',
  'Import keys',
  'Add key',
  'Settings',
  'Base URL',
  'Available',
  'back in',
  'Cooling',
];

describe('Providers page in Chromium', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  const shot = (name: string, target: Page = page) => screenshot(target, `providers-${name}`);

  const chat = (model: string, content: string) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
      signal: AbortSignal.timeout(20_000),
    });

  const keyRows = () => page.locator('[data-testid="provider-key-row"]');

  before(async () => {
    upstream = await startFakeOpenAiUpstream({ models: UPSTREAM_MODELS });
    // No provider for the fake upstream: the console adds it.
    relay = await startRelayWithConfig({ providers: {}, log_store: { flush_interval_ms: 50 } });
    base = relay.url;
    browser = await launchChromium();
    ({ context, page } = await openDesktopPage(browser));
  });

  after(async () => {
    await browser?.close();
    await disposeRelay(relay);
    await upstream?.close();
  });

  it('first run: the admin is created with the access key and opens Providers', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('setup-form').waitFor();
    await page.getByTestId('setup-access-key').fill(ACCESS_KEY);
    await page.getByTestId('username').fill(ADMIN.username);
    await page.getByTestId('password').fill(ADMIN.password);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('totals').waitFor();
    await page.getByTestId('nav-providers').click();
    await page.getByTestId('providers-empty').waitFor();
    assert.match(page.url(), /#\/providers$/);
    await shot('01-empty');
  });

  it('adds a provider for the fake upstream with one key', async () => {
    await page.getByTestId('provider-add').click();
    await page.getByTestId('provider-form').waitFor();
    await page.getByTestId('pf-name').fill('fake');
    await page.getByTestId('pf-base-url').fill(upstream.baseUrl);
    await page.getByTestId('pf-timeout').fill('5');
    await page.getByTestId('pf-key').fill(FIRST_KEY);
    await page.getByTestId('pf-key-label').fill('first');
    await shot('02-new');
    await page.getByTestId('provider-save').click();
    await page.waitForURL(/#\/providers\/fake$/);
    await page.locator('[data-testid="provider-title"]', { hasText: 'fake' }).waitFor();
    await keyRows().first().waitFor();
    assert.equal(await keyRows().count(), 1);
    assert.equal(await page.getByTestId('key-masked').first().textContent(), 'sk-...0001', 'masked');
    assert.equal(await page.getByTestId('key-label').first().textContent(), 'first');
  });

  it('tests the provider: one call, with its latency and the answer', async () => {
    upstream.when({ model: PICKED_MODEL }, behaviours.ok({ content: TEST_ANSWER }), { times: 1 });
    await page.getByTestId('provider-test-model').fill(PICKED_MODEL);
    await page.getByTestId('provider-test').click();
    const result = page.locator('[data-testid="provider-test-result"][data-ok="true"]');
    await result.waitFor();
    assert.match((await page.getByTestId('provider-test-latency').textContent()) ?? '', /^\d[\d,]* ms$/);
    assert.equal(await page.getByTestId('provider-test-status').textContent(), 'HTTP 200');
    assert.equal(await page.getByTestId('provider-test-answer').textContent(), TEST_ANSWER);
    await shot('03-tested');
  });

  it('fetches the upstream models and saves one as the include list', async () => {
    await page.getByTestId('models-fetch').click();
    await page.getByTestId('models-list').waitFor();
    const boxes = await page.getByTestId('model-option').all();
    const listed = await Promise.all(boxes.map((box) => box.getAttribute('data-model')));
    assert.deepEqual(listed, UPSTREAM_MODELS);
    await page.getByTestId('models-none').click();
    // Rendering follows the click a moment later: wait for it, or check() could see the old tick and do nothing.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="model-option"]:checked').length === 0,
    );
    await page.locator(`[data-testid="model-option"][data-model="${PICKED_MODEL}"]`).check();
    await page.locator('[data-testid="models-save"]', { hasText: '(1)' }).click();
    await page.getByTestId('models-saved').waitFor();
    // The settings form shows the saved list.
    await page.waitForFunction(
      (model) =>
        (document.querySelector('[data-testid="pf-include"]') as unknown as { value: string } | null)
          ?.value === model,
      PICKED_MODEL,
    );
    // Asked again, the upstream's list comes back with only the picked model ticked.
    await page.getByTestId('models-fetch').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="model-option"]:checked').length === 1,
    );
    assert.equal(
      await page.locator(`[data-testid="model-option"][data-model="${PICKED_MODEL}"]`).isChecked(),
      true,
    );
    await shot('04-models');
  });

  it('a /v1 request for the picked model goes through the new provider and shows in the request log', async () => {
    // The log page is open first: the request arrives through its live stream.
    await page.getByTestId('nav-logs').click();
    await page.locator('[data-testid="live-state"].on').waitFor();
    const prompt = 'Through the provider made in the console';
    const response = await chat(PICKED_MODEL, prompt);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    assert.match(body.choices[0].message.content, /Through the provider made in the console/);
    assert.ok(
      upstream.requests.some(
        (request) => request.path === '/v1/chat/completions' && request.key === FIRST_KEY,
      ),
      'the upstream got the request with the key entered in the console',
    );

    const row = page
      .locator('[data-testid="log-row"][data-state="success"]', { hasText: PICKED_MODEL })
      .first();
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /fake/);
    await shot('05-log');
  });

  it('imports two keys from text, then one already known from a CSV file', async () => {
    await page.getByTestId('nav-providers').click();
    const card = page.locator('[data-testid="provider-card"][data-name="fake"]');
    await card.waitFor();
    await card.getByTestId('provider-open').click();
    await keyRows().first().waitFor();

    await page.getByTestId('key-import-open').click();
    await page.getByTestId('key-import-dialog').waitFor();
    await page.getByTestId('key-import-text').fill(`${IMPORTED_KEYS[0]},second\n${IMPORTED_KEYS[1]},third,2`);
    await page.getByTestId('key-import-submit').click();
    await page.getByTestId('key-import-result').waitFor();
    assert.equal((await page.getByTestId('key-import-added').textContent())?.trim(), '2 added');
    assert.equal((await page.getByTestId('key-import-duplicates').textContent())?.trim(), '0 already there');
    assert.equal((await page.getByTestId('key-import-rejected').textContent())?.trim(), '0 rejected');
    await shot('06-imported');

    await page.getByTestId('key-import-file').setInputFiles({
      name: 'keys.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`key,label,weight\n${IMPORTED_KEYS[1]},again,1\n`),
    });
    await page.waitForFunction(
      () =>
        (
          document.querySelector('[data-testid="key-import-text"]') as unknown as { value: string } | null
        )?.value.startsWith('key,label,weight') ?? false,
    );
    assert.equal(await page.getByTestId('key-import-format').inputValue(), 'csv');
    assert.equal(await page.getByTestId('key-import-file-name').textContent(), 'keys.csv');
    await page.getByTestId('key-import-submit').click();
    await page.locator('[data-testid="key-import-duplicates"]', { hasText: '1 already there' }).waitFor();
    assert.equal((await page.getByTestId('key-import-added').textContent())?.trim(), '0 added');
    await page.getByTestId('key-import-close').click();
    await page.getByTestId('key-import-dialog').waitFor({ state: 'detached' });
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="provider-key-row"]').length === 3,
    );
    assert.deepEqual(await page.getByTestId('key-label').allTextContents(), ['first', 'second', 'third']);
  });

  it('edits a key: its label and its limits (quota, requests per second, expiry), saved into config.yml', async () => {
    const row = page.locator('[data-testid="provider-key-row"]', { hasText: 'third' });
    await row.getByTestId('key-edit').click();
    await page.getByTestId('key-edit-label').fill('third-limited');
    await page.getByTestId('key-edit-quota').fill('1000');
    await page.getByTestId('key-edit-rps').fill('5');
    await page.getByTestId('key-edit-expires').fill('2030-01-31');
    await shot('07a-key-limits');
    await page.getByTestId('key-save').click();
    await page.getByTestId('key-limits-row').waitFor({ state: 'detached' });
    const edited = page.locator('[data-testid="provider-key-row"]', { hasText: 'third-limited' });
    assert.equal(
      (await edited.getByTestId('key-limits').textContent())?.trim(),
      '1000 requests · 5 req/s · until 2030-01-31',
    );
    const saved = await page.evaluate(async () => {
      const response = await fetch('/api/providers/fake', { credentials: 'same-origin' });
      return (await response.json()) as {
        keys: Array<{
          label: string;
          quotaLimit: number | null;
          rateLimitRps: number | null;
          expiresAt: string | null;
        }>;
      };
    });
    const key = saved.keys.find((k) => k.label === 'third-limited');
    assert.deepEqual(key && [key.quotaLimit, key.rateLimitRps, key.expiresAt], [1000, 5, '2030-01-31']);
  });

  it('a key the upstream rate-limits cools down, with a live countdown to its recovery', async () => {
    // One 429 with Retry-After: the relay cools that key and serves the request with the next one.
    upstream.when({ model: PICKED_MODEL }, behaviours.rateLimited({ retryAfter: 90 }), { times: 1 });
    const response = await chat(PICKED_MODEL, 'one of these keys is rate limited');
    assert.equal(response.status, 200, await response.clone().text());
    const countdown = page.getByTestId('key-countdown');
    await countdown.waitFor();
    const seconds = async () => {
      const text = (await countdown.textContent()) ?? '';
      const match = /back in (?:1 min )?(\d+) s/.exec(text);
      assert.ok(match, `countdown text: ${text}`);
      return text.includes('min') ? 60 + Number(match[1]) : Number(match[1]);
    };
    const first = await seconds();
    assert.ok(first > 60 && first <= 90, `about 90 s left (${first})`);
    await page.waitForFunction(
      (before) => {
        const text = document.querySelector('[data-testid="key-countdown"]')?.textContent ?? '';
        const match = /back in (?:1 min )?(\d+) s/.exec(text);
        if (!match) return false;
        const left = (text.includes('min') ? 60 : 0) + Number(match[1]);
        return left <= before - 2;
      },
      first,
      { timeout: 6_000 },
    );
    assert.equal(await countdown.count(), 1, 'only the rate-limited key cools');
    const cooling = page.locator('[data-testid="provider-key-row"]', { has: countdown });
    assert.notEqual(await cooling.getAttribute('data-state'), 'available');
    await shot('07-cooling');
  });

  it('a key the upstream refuses (401) is taken out until restored from the page', async () => {
    upstream.when({ model: PICKED_MODEL }, behaviours.unauthorized(), { times: 1 });
    const response = await chat(PICKED_MODEL, 'one of these keys is revoked');
    assert.equal(response.status, 200, await response.clone().text());
    const failed = page.locator('[data-testid="provider-key-row"][data-state="auth_failed"]');
    await failed.waitFor();
    assert.equal((await failed.getByTestId('key-state').textContent())?.trim(), 'Auth failed');
    const index = await failed.getAttribute('data-index');
    await shot('08-auth-failed');
    await failed.getByTestId('key-restore').click();
    await page
      .locator(`[data-testid="provider-key-row"][data-index="${index}"][data-state="available"]`)
      .waitFor();
  });

  it('in Simplified Chinese every label of the page is translated', async () => {
    await page.getByTestId('lang').selectOption('zh-CN');
    await page.locator('[data-testid="nav-providers"]', { hasText: '上游提供商' }).waitFor();
    await page.getByRole('heading', { name: '密钥' }).waitFor();
    await page
      .getByTestId('key-countdown')
      .getByText(/\d+ 秒后恢复/)
      .waitFor();
    const text = (await page.locator('main').innerText()) ?? '';
    for (const english of ENGLISH_ON_PAGE) assert.ok(!text.includes(english), `still in English: ${english}`);
    await shot('09-zh');
    await page.getByTestId('providers-back').click();
    await page.getByRole('heading', { name: '上游提供商' }).waitFor();
    const health = (await page.getByTestId('provider-health').first().textContent())?.trim() ?? '';
    assert.ok(['正常', '降级', '不可用', '已停用'].includes(health), `health in Chinese: ${health}`);
    await page
      .getByTestId('provider-card-countdown')
      .getByText(/\d+ 秒后恢复/)
      .waitFor();
    await page.getByTestId('theme-toggle').click();
    await shot('10-zh-dark');
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('lang').selectOption('en');
    await page.getByRole('heading', { name: 'Providers' }).waitFor();
  });

  it('on a phone (390 × 844) the list, the provider and the import dialog fit the width', async () => {
    const { phone, mobile } = await openPhonePage(browser, context);
    const width = () => mobile.evaluate(() => document.documentElement.scrollWidth);
    try {
      await mobile.goto(`${base}/#/providers`);
      await mobile.getByTestId('provider-card').first().waitFor();
      assert.ok((await width()) <= 390, `the list fits (${await width()}px)`);
      await shot('11-phone-list', mobile);
      await mobile.getByTestId('menu-toggle').click();
      await mobile.getByTestId('nav-providers').waitFor();
      await mobile.getByTestId('menu-toggle').click();

      await mobile.getByTestId('provider-open').first().click();
      await mobile.locator('[data-testid="provider-key-row"]').first().waitFor();
      await mobile.getByTestId('provider-test-model').waitFor();
      assert.ok((await width()) <= 390, `the provider page fits (${await width()}px)`);
      await shot('12-phone-provider', mobile);

      await mobile.getByTestId('key-import-open').click();
      await mobile.getByTestId('key-import-dialog').waitFor();
      assert.ok((await width()) <= 390, `the import dialog fits (${await width()}px)`);
      await shot('13-phone-import', mobile);
    } finally {
      await phone.close();
    }
  });

  it('deletes a key, then the provider', async () => {
    await page.getByTestId('provider-open').first().click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="provider-key-row"]').length === 3,
    );
    page.once('dialog', (dialog) => void dialog.accept());
    await keyRows().nth(2).getByTestId('key-delete').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="provider-key-row"]').length === 2,
    );
    assert.deepEqual(await page.getByTestId('key-label').allTextContents(), ['first', 'second']);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('provider-delete').click();
    await page.getByTestId('providers-empty').waitFor();
    assert.match(page.url(), /#\/providers$/);
  });
});
