// Single sign-on in Debian's Chromium: the console's GitHub and Google buttons, through the built
// relay's real passport strategies, to the loopback GitHub and Google stand-ins and back. Covers a
// refused sign-up, an admin by `admin_usernames`, linking a Google identity to a local account and
// signing in with it, and a consent the user refused. Screenshots go to e2e/console/screenshots.
import {
  type FakeGitHub,
  type FakeGoogle,
  type GitHubUserInput,
  type GoogleUserInput,
  startFakeGitHub,
  ssoConfigFor,
  startFakeGoogle,
} from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { type RelayProcess, disposeRelay, startRelayWithConfig } from '../support/relay-process';
import { launchChromium, openDesktopPage, screenshot, setUpSuperadmin } from './support/chromium';

const ROOT = { username: 'root', password: 'correct horse battery' };

const GITHUB_USERS: GitHubUserInput[] = [
  { id: 2001, login: 'boss', name: 'The Boss', email: 'boss@example.com' },
  { id: 2002, login: 'stranger', email: 'stranger@example.com' },
];
const ALICE_SUB = '120000000000000000001';
const GOOGLE_USERS: GoogleUserInput[] = [{ sub: ALICE_SUB, email: 'alice@acme.test', name: 'Alice A' }];

describe('single sign-on in Chromium', () => {
  let github: FakeGitHub;
  let google: FakeGoogle;
  let relay: RelayProcess | undefined;
  let browser: Browser;
  let page: Page;
  let base: string;

  const shot = (name: string) => screenshot(page, name);

  async function signOut(): Promise<void> {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
  }

  async function loginError(): Promise<string> {
    const error = page.getByTestId('login-error');
    await error.waitFor();
    return (await error.textContent())?.trim() ?? '';
  }

  before(async () => {
    github = await startFakeGitHub({ users: GITHUB_USERS });
    google = await startFakeGoogle({ users: GOOGLE_USERS });
    relay = await startRelayWithConfig({
      sso: ssoConfigFor(github, google, { admin_usernames: ['boss'] }),
      auth: { open_signup: false },
    });
    base = relay.url;
    await setUpSuperadmin(base, ROOT);
    browser = await launchChromium();
    ({ page } = await openDesktopPage(browser));
  });

  after(async () => {
    await browser?.close();
    await disposeRelay(relay);
    await github?.close();
    await google?.close();
  });

  it('the sign-in page offers GitHub and Google next to the password form', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('login-form').waitFor();
    assert.equal((await page.getByTestId('sso-github').textContent())?.trim(), 'Sign in with GitHub');
    assert.equal((await page.getByTestId('sso-google').textContent())?.trim(), 'Sign in with Google');
    await shot('sso-01-login');
  });

  it('a GitHub user with no account and sign-up closed is sent back with the reason', async () => {
    github.nextLogin('stranger');
    await page.getByTestId('sso-github').click();
    assert.equal(await loginError(), 'This account is not allowed to sign up. Ask an admin for an invite.');
    assert.match(page.url(), /#\/login/);
    assert.equal(github.authorizeRequests.length, 1, 'the browser went through the GitHub consent page');
  });

  it('a GitHub user in admin_usernames signs in as an admin', async () => {
    github.nextLogin('boss');
    await page.getByTestId('sso-github').click();
    await page.getByTestId('totals').waitFor();
    assert.equal((await page.getByTestId('who').textContent())?.trim(), 'The Boss');
    await page.getByTestId('nav-users').waitFor();
    await page.getByTestId('who').click();
    await page.getByText('github: boss').waitFor();
    await shot('sso-02-github-account');
    await signOut();
  });

  it('a local account links a Google identity, then signs in with Google', async () => {
    await page.getByTestId('username').fill(ROOT.username);
    await page.getByTestId('password').fill(ROOT.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('totals').waitFor();
    await page.getByTestId('who').click();
    google.nextLogin(ALICE_SUB);
    await page.getByTestId('link-google').click();
    await page.getByText('google: alice@acme.test').waitFor();
    assert.equal(await page.getByTestId('link-google').count(), 0, 'a linked provider is not offered again');
    await shot('sso-03-linked');
    await signOut();

    google.nextLogin(ALICE_SUB);
    await page.getByTestId('sso-google').click();
    await page.getByTestId('totals').waitFor();
    assert.equal((await page.getByTestId('who').textContent())?.trim(), ROOT.username);
    await signOut();
  });

  it('a consent refused at the provider lands on the sign-in page with a clear message, in Chinese too', async () => {
    github.nextLogin({ deny: true });
    await page.getByTestId('sso-github').click();
    assert.equal(await loginError(), 'Sign-in was cancelled at the provider.');
    await page.getByTestId('lang').selectOption('zh-CN');
    assert.equal(await loginError(), '已在身份提供方处取消登录。');
    assert.equal((await page.getByTestId('sso-google').textContent())?.trim(), '使用 Google 登录');
    await shot('sso-04-denied-zh');
    await page.getByTestId('lang').selectOption('en');
  });
});
