// SSO sign-in through the relay's real HTTP surface and the real passport strategies, against the
// loopback GitHub (Enterprise layout) and Google stand-ins: the browser's redirects are followed by
// hand with fetch (`redirect: 'manual'`), carrying cookies like a browser does.
import {
  type FakeGitHub,
  type FakeGoogle,
  type GitHubUserInput,
  type GoogleUserInput,
  startFakeGitHub,
  ssoConfigFor,
  startFakeGoogle,
} from '@monorelay/testing';
import type { MeView } from '@monorelay/contracts';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConfigService } from '../apps/relay/src/config/config.service';
import { ACCESS_KEY, type RelayHarness, startRelay } from './support/relay-harness';

const ROOT_PASSWORD = 'correct horse battery staple';

const GITHUB_USERS: GitHubUserInput[] = [
  { id: 1001, login: 'octocat', name: 'The Octocat', email: 'octo@example.com', orgs: ['acme'] },
  {
    id: 1002,
    login: 'hubber',
    emails: [{ email: 'hubber@else.example', primary: true, verified: true, visibility: null }],
    orgs: ['other'],
  },
  { id: 1003, login: 'boss', email: 'boss@example.com' },
  // Controls the same address as the local superadmin: must never become that account.
  {
    id: 1004,
    login: 'mallory',
    emails: [{ email: 'root@example.com', primary: true, verified: true, visibility: null }],
  },
  {
    id: 1012,
    login: 'mallory2',
    emails: [{ email: 'ROOT@example.com', primary: true, verified: true, visibility: null }],
  },
  { id: 1005, login: 'rootgh', email: 'rootgh@example.com' },
  { id: 1006, login: 'invitee', email: 'invitee@example.com' },
  { id: 1007, login: 'invitee2', email: 'invitee2@example.com' },
  { id: 1008, login: 'acmer', email: 'acmer@example.com', orgs: [{ login: 'ACME' }] },
  {
    id: 1009,
    login: 'corpie',
    emails: [{ email: 'corpie@corp.example', primary: true, verified: true, visibility: null }],
  },
  {
    id: 1010,
    login: 'corpfake',
    emails: [{ email: 'corpfake@corp.example', primary: true, verified: false, visibility: null }],
  },
  { id: 1011, login: 'newbie', email: 'newbie@example.com' },
];

const GOOGLE_USERS: GoogleUserInput[] = [
  { sub: '110000000000000000001', email: 'alice@acme.test', name: 'Alice A', hd: 'acme.test' },
  { sub: '110000000000000000002', email: 'bob@acme.test', email_verified: false, name: 'Bob B' },
  { sub: '110000000000000000003', email: 'dave@acme.test', name: 'Dave D' },
  { sub: '110000000000000000004', email: 'carol@gmail.com', name: 'Carol C' },
];

/** A browser: a cookie jar (the relay's cookies only) and manual redirects. */
class Browser {
  readonly jar = new Map<string, string>();

  constructor(private readonly origin: string) {}

  async get(pathOrUrl: string): Promise<Response> {
    return this.send('GET', pathOrUrl);
  }

  async send(method: string, pathOrUrl: string, json?: unknown): Promise<Response> {
    const url = new URL(pathOrUrl, this.origin);
    const ours = url.origin === this.origin;
    const headers: Record<string, string> = {};
    if (ours && this.jar.size > 0) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      headers.origin = this.origin;
    }
    const response = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    if (ours) this.store(response);
    return response;
  }

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const gone = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()),
      );
      if (gone || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
}

interface Flow {
  /** The relay's answer to the login URL. */
  login: Response;
  /** The authorize URL the relay sent the browser to. */
  authorizeUrl: URL;
  /** Where the provider sent the browser back (the relay's callback URL). */
  callbackUrl: URL;
  /** The relay's answer to the callback. */
  callback: Response;
  /** Its Location. */
  location: string;
}

async function location(response: Response): Promise<string> {
  await response.body?.cancel();
  assert.equal(response.status, 302, `expected a redirect, got ${response.status}`);
  return response.headers.get('location') ?? '';
}

/** The first two legs: relay login (or link) -> provider authorize -> back to the relay's callback URL. */
async function toCallback(browser: Browser, path: string): Promise<Omit<Flow, 'callback' | 'location'>> {
  const login = await browser.get(path);
  const authorizeUrl = new URL(await location(login));
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  const callbackUrl = new URL(await location(authorize));
  return { login, authorizeUrl, callbackUrl };
}

async function ssoFlow(browser: Browser, path: string): Promise<Flow> {
  const legs = await toCallback(browser, path);
  const callback = await browser.get(legs.callbackUrl.href);
  return { ...legs, callback, location: await location(callback) };
}

async function me(browser: Browser): Promise<{ status: number; body: MeView }> {
  const response = await browser.get('/api/auth/me');
  return { status: response.status, body: (await response.json()) as MeView };
}

describe('SSO sign-in (GitHub Enterprise and Google stand-ins, real passport strategies)', () => {
  let github: FakeGitHub;
  let google: FakeGoogle;
  let relay: RelayHarness;
  let root: Browser;
  let rootId: string;

  const baseConfig = () => ({
    sso: ssoConfigFor(github, google, { admin_usernames: ['boss'] }),
    auth: { open_signup: false },
  });

  /** Rewrites config.yml and applies it at once (the hot-reload path). */
  function reconfigure(change: (config: ReturnType<typeof baseConfig>) => void): void {
    const config = baseConfig();
    change(config);
    relay.writeConfig(config);
    const result = relay.app.get(ConfigService).reload();
    assert.notEqual((result as { ok?: boolean }).ok, false, JSON.stringify(result));
  }

  async function signIn(
    provider: 'github' | 'google',
    who: string,
    query = '',
  ): Promise<{ browser: Browser; flow: Flow }> {
    const browser = new Browser(relay.url);
    (provider === 'github' ? github : google).nextLogin(who);
    const flow = await ssoFlow(browser, `/api/auth/sso/${provider}/login${query}`);
    return { browser, flow };
  }

  before(async () => {
    github = await startFakeGitHub({ users: GITHUB_USERS });
    google = await startFakeGoogle({ users: GOOGLE_USERS });
    relay = await startRelay(baseConfig());
  });

  after(async () => {
    await relay?.close();
    await github?.close();
    await google?.close();
  });

  it('lists the configured providers; unknown providers are 404 JSON', async () => {
    const status = await fetch(`${relay.url}/api/auth/sso/status`);
    assert.equal(status.status, 200);
    assert.deepEqual(await status.json(), {
      enabled: true,
      providers: [
        { id: 'github', name: 'GitHub', loginUrl: '/api/auth/sso/github/login' },
        { id: 'google', name: 'Google', loginUrl: '/api/auth/sso/google/login' },
      ],
      defaultProvider: 'github',
      ssoOnly: false,
    });
    for (const path of ['/api/auth/sso/gitlab/login', '/api/auth/sso/prismaauth/callback?code=x&state=y']) {
      const response = await fetch(relay.url + path, { redirect: 'manual' });
      assert.equal(response.status, 404, path);
      assert.equal(
        ((await response.json()) as { error: { code: string } }).error.code,
        'sso_provider_not_found',
      );
    }
  });

  it('never makes the first account: before setup, SSO answers setup_required (even for admin_usernames)', async () => {
    const { browser, flow } = await signIn('github', 'boss');
    assert.equal(flow.location, '/#/login?error=setup_required');
    assert.ok(!browser.jar.has('mr_access'));
  });

  it('setup makes the superadmin (a local account)', async () => {
    root = new Browser(relay.url);
    const response = await root.send('POST', '/api/setup', {
      username: 'root',
      password: ROOT_PASSWORD,
      email: 'root@example.com',
      accessKey: ACCESS_KEY,
    });
    assert.equal(response.status, 201, await response.clone().text());
    const { body } = await me(root);
    assert.equal(body.role, 'superadmin');
    rootId = body.id!;
  });

  it('refuses a new account when sign-up is closed', async () => {
    const { browser, flow } = await signIn('github', 'octocat');
    assert.equal(flow.location, '/#/login?error=signup_closed');
    assert.ok(!browser.jar.has('mr_access'));
    assert.ok(!browser.jar.has('mr_oauth'), 'the state cookie is cleared');
  });

  it('GitHub: state + PKCE S256 + scopes, token exchange with the verifier, session cookies, returnTo', async () => {
    reconfigure((config) => (config.auth.open_signup = true));
    github.reset();
    const { browser, flow } = await signIn('github', 'octocat', '?returnTo=%2F%23%2Flogs');

    // Leg 1: to GitHub's authorize page, bound to this browser by the sealed mr_oauth cookie.
    const sent = flow.authorizeUrl.searchParams;
    assert.equal(
      flow.authorizeUrl.origin + flow.authorizeUrl.pathname,
      `${github.baseUrl}/login/oauth/authorize`,
    );
    assert.equal(sent.get('client_id'), github.clientId);
    assert.equal(sent.get('response_type'), 'code');
    assert.equal(sent.get('redirect_uri'), `${relay.url}/api/auth/sso/github/callback`);
    assert.deepEqual(sent.get('scope')?.split(','), ['read:user', 'user:email']);
    assert.match(sent.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(sent.get('code_challenge_method'), 'S256');
    assert.match(sent.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const setCookie = flow.login.headers.getSetCookie().find((c) => c.startsWith('mr_oauth='));
    assert.ok(setCookie, 'the login sets mr_oauth');
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    assert.match(setCookie, /Path=\/api\/auth\/sso/i);
    assert.ok(!setCookie.includes(sent.get('state')!), 'the cookie does not show the state');

    // Leg 3: the callback signs in and lands on returnTo.
    assert.equal(flow.location, '/#/logs');
    assert.ok(browser.jar.has('mr_access') && browser.jar.has('mr_refresh'));
    assert.ok(!browser.jar.has('mr_oauth'));
    const { body } = await me(browser);
    assert.equal(body.username, 'octocat');
    assert.equal(body.role, 'user');
    assert.equal(body.email, 'octo@example.com');
    assert.equal(body.displayName, 'The Octocat');
    assert.equal(body.hasPassword, false);
    assert.deepEqual(body.identities, [{ provider: 'github', username: 'octocat' }]);

    // PKCE: the token request carried the verifier of the challenge; the API calls had a User-Agent.
    const token = github.requests.find((r) => r.path === '/login/oauth/access_token');
    assert.ok(token?.body?.code_verifier, 'code_verifier sent');
    assert.equal(
      createHash('sha256').update(token.body.code_verifier).digest('base64url'),
      sent.get('code_challenge'),
    );
    assert.equal(token.body.redirect_uri, `${relay.url}/api/auth/sso/github/callback`);
    const profile = github.requests.find((r) => r.path === '/api/v3/user');
    assert.equal(profile?.status, 200);
    assert.ok(profile.headers['user-agent']);
    assert.ok(github.requests.some((r) => r.path === '/api/v3/user/emails' && r.status === 200));
    assert.ok(
      !github.requests.some((r) => r.path === '/api/v3/user/orgs'),
      'orgs are read only when restricted',
    );

    // The same GitHub account again: the same user, not a second one.
    const again = await signIn('github', 'octocat');
    assert.equal(again.flow.location, '/');
    assert.equal((await me(again.browser)).body.id, body.id);
  });

  it('Google: openid profile email, PKCE, the userinfo profile', async () => {
    google.reset();
    const { browser, flow } = await signIn('google', '110000000000000000001');
    const sent = flow.authorizeUrl.searchParams;
    assert.equal(flow.authorizeUrl.origin + flow.authorizeUrl.pathname, google.authorizationURL);
    assert.deepEqual(sent.get('scope')?.split(' '), ['openid', 'profile', 'email']);
    assert.equal(sent.get('code_challenge_method'), 'S256');
    assert.ok(sent.get('state'));
    assert.equal(flow.location, '/');
    const { body } = await me(browser);
    assert.equal(body.username, 'alice');
    assert.equal(body.email, 'alice@acme.test');
    assert.equal(body.displayName, 'Alice A');
    assert.deepEqual(body.identities, [{ provider: 'google', username: 'alice@acme.test' }]);
    const token = google.requests.find((r) => r.path === '/token');
    assert.equal(
      createHash('sha256').update(token!.body!.code_verifier).digest('base64url'),
      sent.get('code_challenge'),
    );
    assert.ok(google.requests.some((r) => r.path === '/oauth2/v3/userinfo' && r.status === 200));
  });

  it('an e-mail matching a local account never signs into that account', async () => {
    // Open sign-up: a separate, new account.
    const { browser, flow } = await signIn('github', 'mallory');
    assert.equal(flow.location, '/');
    const { body } = await me(browser);
    assert.equal(body.username, 'mallory');
    assert.notEqual(body.id, rootId);
    assert.equal(body.role, 'user');
    // Closed sign-up: refused, not linked either.
    reconfigure(() => {});
    const closed = await signIn('github', 'mallory2');
    assert.equal(closed.flow.location, '/#/login?error=signup_closed');
    const rootMe = await me(root);
    assert.deepEqual(rootMe.body.identities, [], 'nothing was linked to the superadmin');
  });

  it('admin_usernames: a new account is admin even with sign-up closed; an existing user is promoted', async () => {
    const { browser, flow } = await signIn('github', 'boss');
    assert.equal(flow.location, '/');
    assert.equal((await me(browser)).body.role, 'admin');

    reconfigure((config) => config.sso.admin_usernames.push('OctoCat'));
    const octo = await signIn('github', 'octocat');
    assert.equal((await me(octo.browser)).body.role, 'admin');
    // Never demoted when the list changes back.
    reconfigure(() => {});
    const octoAgain = await signIn('github', 'octocat');
    assert.equal((await me(octoAgain.browser)).body.role, 'admin');
  });

  it('an invite gives its role and is single-use', async () => {
    const created = await root.send('POST', '/api/users/invites', { role: 'admin' });
    assert.equal(created.status, 201, await created.clone().text());
    const { token } = (await created.json()) as { token: string };

    const first = await signIn('github', 'invitee', `?invite=${encodeURIComponent(token)}`);
    assert.equal(first.flow.location, '/');
    const { body } = await me(first.browser);
    assert.equal(body.username, 'invitee');
    assert.equal(body.role, 'admin');

    const second = await signIn('github', 'invitee2', `?invite=${encodeURIComponent(token)}`);
    assert.equal(second.flow.location, '/#/login?error=invite_invalid');
    const forged = await signIn('github', 'invitee2', '?invite=not-a-real-invite');
    assert.equal(forged.flow.location, '/#/login?error=invite_invalid');
  });

  it('allowed_github_orgs: asks read:org; members in (new and existing), non-members out (existing too)', async () => {
    reconfigure((config) => Object.assign(config.sso, { allowed_github_orgs: ['acme'] }));
    github.reset();
    const outsider = await signIn('github', 'hubber');
    assert.deepEqual(outsider.flow.authorizeUrl.searchParams.get('scope')?.split(','), [
      'read:user',
      'user:email',
      'read:org',
    ]);
    assert.equal(outsider.flow.location, '/#/login?error=org_required');
    assert.ok(github.requests.some((r) => r.path === '/api/v3/user/orgs' && r.status === 200));

    const member = await signIn('github', 'octocat');
    assert.equal(member.flow.location, '/');
    // A new member gets an account although sign-up is closed (organisation names are case-insensitive).
    const newMember = await signIn('github', 'acmer');
    assert.equal(newMember.flow.location, '/');
    assert.equal((await me(newMember.browser)).body.role, 'user');
    // An existing account that is not a member is refused too.
    const existing = await signIn('github', 'boss');
    assert.equal(existing.flow.location, '/#/login?error=org_required');
  });

  it('allowed_google_domains: a verified address (or hd) in the domain; an unverified one never counts', async () => {
    reconfigure((config) => Object.assign(config.sso, { allowed_google_domains: ['acme.test'] }));
    const unverified = await signIn('google', '110000000000000000002');
    assert.equal(unverified.flow.location, '/#/login?error=domain_required');
    const verified = await signIn('google', '110000000000000000003');
    assert.equal(verified.flow.location, '/');
    assert.equal((await me(verified.browser)).body.username, 'dave');
    const existing = await signIn('google', '110000000000000000001');
    assert.equal(existing.flow.location, '/');
    const outside = await signIn('google', '110000000000000000004');
    assert.equal(outside.flow.location, '/#/login?error=domain_required');
  });

  it('auth.allowed_email_domains: only provider-verified addresses count', async () => {
    reconfigure((config) => Object.assign(config.auth, { allowed_email_domains: ['corp.example'] }));
    const verified = await signIn('github', 'corpie');
    assert.equal(verified.flow.location, '/');
    const unverified = await signIn('github', 'corpfake');
    assert.equal(unverified.flow.location, '/#/login?error=signup_closed');
  });

  it('linking: a signed-in user attaches an identity; another user cannot take it', async () => {
    reconfigure((config) => config.sso.admin_usernames.push('rootgh'));
    github.nextLogin('rootgh');
    const linked = await ssoFlow(root, '/api/auth/sso/github/link?returnTo=%2F%23%2Faccount');
    assert.equal(linked.location, '/#/account');
    assert.deepEqual((await me(root)).body.identities, [{ provider: 'github', username: 'rootgh' }]);

    // The identity now signs in as the superadmin (admin_usernames does not touch a superadmin).
    const viaGitHub = await signIn('github', 'rootgh');
    const { body } = await me(viaGitHub.browser);
    assert.equal(body.id, rootId);
    assert.equal(body.role, 'superadmin');

    // Another signed-in user tries to link the same GitHub account.
    const octo = await signIn('github', 'octocat');
    github.nextLogin('rootgh');
    const stolen = await ssoFlow(octo.browser, '/api/auth/sso/github/link');
    assert.equal(stolen.location, '/#/account?error=identity_in_use');
    assert.deepEqual((await me(octo.browser)).body.identities, [{ provider: 'github', username: 'octocat' }]);

    // Linking needs a session.
    const anonymous = await fetch(`${relay.url}/api/auth/sso/github/link`, { redirect: 'manual' });
    assert.equal(anonymous.status, 401);
  });

  it('refuses a tampered, missing or replayed state, and a state from another browser', async () => {
    const callback = async (browser: Browser, url: URL) => location(await browser.get(url.href));
    const start = (browser: Browser) => {
      github.nextLogin('octocat');
      return toCallback(browser, '/api/auth/sso/github/login');
    };

    // Tampered state parameter.
    let browser = new Browser(relay.url);
    let legs = await start(browser);
    const tampered = new URL(legs.callbackUrl);
    const state = tampered.searchParams.get('state')!;
    tampered.searchParams.set('state', (state[0] === 'A' ? 'B' : 'A') + state.slice(1));
    assert.equal(await callback(browser, tampered), '/#/login?error=invalid_state');

    // Missing state parameter.
    browser = new Browser(relay.url);
    legs = await start(browser);
    const missing = new URL(legs.callbackUrl);
    missing.searchParams.delete('state');
    assert.equal(await callback(browser, missing), '/#/login?error=invalid_state');

    // Another browser: without the cookie, or with its own flow's cookie.
    browser = new Browser(relay.url);
    legs = await start(browser);
    const stranger = new Browser(relay.url);
    assert.equal(await callback(stranger, legs.callbackUrl), '/#/login?error=invalid_state');
    await start(stranger);
    assert.ok(stranger.jar.has('mr_oauth'));
    assert.equal(await callback(stranger, legs.callbackUrl), '/#/login?error=invalid_state');
    assert.ok(!stranger.jar.has('mr_access'));

    // An altered cookie.
    browser = new Browser(relay.url);
    legs = await start(browser);
    const sealed = browser.jar.get('mr_oauth')!;
    browser.jar.set('mr_oauth', sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
    assert.equal(await callback(browser, legs.callbackUrl), '/#/login?error=invalid_state');

    // A replay: the same cookie and callback URL once more, after a successful sign-in.
    browser = new Browser(relay.url);
    legs = await start(browser);
    const cookie = browser.jar.get('mr_oauth')!;
    assert.equal(await callback(browser, legs.callbackUrl), '/');
    const replayer = new Browser(relay.url);
    replayer.jar.set('mr_oauth', cookie);
    assert.equal(await callback(replayer, legs.callbackUrl), '/#/login?error=invalid_state');
    assert.ok(!replayer.jar.has('mr_access'));

    // A state started for GitHub does not finish at Google's callback.
    browser = new Browser(relay.url);
    legs = await start(browser);
    const crossed = new URL(legs.callbackUrl.href.replace('/github/callback', '/google/callback'));
    assert.equal(await callback(browser, crossed), '/#/login?error=invalid_state');

    // A callback without a code.
    assert.equal(
      await callback(new Browser(relay.url), new URL(`${relay.url}/api/auth/sso/github/callback`)),
      '/#/login?error=invalid_request',
    );
  });

  it('the provider refusing consent lands on access_denied, without showing its text', async () => {
    const browser = new Browser(relay.url);
    github.nextLogin({ deny: true });
    const flow = await ssoFlow(browser, '/api/auth/sso/github/login');
    assert.equal(flow.callbackUrl.searchParams.get('error'), 'access_denied');
    assert.equal(flow.location, '/#/login?error=access_denied');
    assert.ok(!browser.jar.has('mr_oauth'));
  });

  it('ignores an open-redirect returnTo', async () => {
    const attempts = [
      'https://evil.example/x',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/\r\nX: y',
    ];
    for (const returnTo of attempts) {
      const { flow } = await signIn('github', 'octocat', `?returnTo=${encodeURIComponent(returnTo)}`);
      assert.equal(flow.location, '/', returnTo);
    }
    const { flow } = await signIn('github', 'octocat', `?returnTo=${encodeURIComponent('/#/keys?tab=mine')}`);
    assert.equal(flow.location, '/#/keys?tab=mine');
  });

  it('refuses a disabled account', async () => {
    const octo = await signIn('github', 'octocat');
    const { body } = await me(octo.browser);
    const disabled = await root.send('PATCH', `/api/users/${body.id}`, { disabled: true });
    assert.equal(disabled.status, 200, await disabled.clone().text());
    const again = await signIn('github', 'octocat');
    assert.equal(again.flow.location, '/#/login?error=account_disabled');
    assert.ok(!again.browser.jar.has('mr_access'));
    await root.send('PATCH', `/api/users/${body.id}`, { disabled: false });
  });

  it('a provider error (bad client secret) lands on provider_error', async () => {
    reconfigure((config) => (config.sso.github_client_secret = 'wrong-secret'));
    const { flow } = await signIn('github', 'octocat');
    assert.equal(flow.location, '/#/login?error=provider_error');
  });

  it('follows config changes: sso_only keeps SSO working; an unconfigured provider is 404', async () => {
    reconfigure((config) => {
      Object.assign(config.sso, { sso_only: true, provider: 'google', google_client_id: '' });
    });
    const status = (await (await fetch(`${relay.url}/api/auth/sso/status`)).json()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(status, {
      enabled: true,
      providers: [{ id: 'github', name: 'GitHub', loginUrl: '/api/auth/sso/github/login' }],
      defaultProvider: 'github',
      ssoOnly: true,
    });
    const google404 = await fetch(`${relay.url}/api/auth/sso/google/login`, { redirect: 'manual' });
    assert.equal(google404.status, 404);
    const { flow } = await signIn('github', 'octocat');
    assert.equal(flow.location, '/');

    reconfigure((config) => (config.sso.enabled = false));
    const off = (await (await fetch(`${relay.url}/api/auth/sso/status`)).json()) as Record<string, unknown>;
    assert.equal(off.enabled, false);
    assert.deepEqual(off.providers, []);
    const github404 = await fetch(`${relay.url}/api/auth/sso/github/login`, { redirect: 'manual' });
    assert.equal(github404.status, 404);
  });
});
