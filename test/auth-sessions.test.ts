import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatedInvite, MeView, RequestLogPage, SessionView, UserView } from '@monorelay/contracts';
import { ConfigService } from '../apps/relay/src/config/config.service';
import { REFRESH_REUSE_GRACE_MS } from '../apps/relay/src/auth/sessions.service';
import { UsersService } from '../apps/relay/src/auth/users.service';
import { RequestLogStore } from '../apps/relay/src/logging/store/request-log.store';
import { makeLogRecord, seededRandom } from '../apps/relay/src/logging/store/testing/log-record-factory';
import { ApiSession, apiError, setCookies } from './support/api-session';
import { ACCESS_KEY, type RelayHarness, startRelay } from './support/relay-harness';

const ROOT_PASSWORD = 'the owner passphrase 1';
const PASSWORD = 'a perfectly fine passphrase';

const BASE_CONFIG = {
  relay: { trusted_proxies: ['127.0.0.1'] },
  auth: { login_attempts_per_account: 3, login_attempts_per_ip: 6 },
};

describe('setup: the first account, with the access key', () => {
  let relay: RelayHarness;
  before(async () => {
    relay = await startRelay({});
  });
  after(() => relay.close());

  it('needs the access key and works once; two setups at once: one wins', async () => {
    const browser = new ApiSession(relay.url);
    assert.deepEqual(await browser.json('/api/setup/status', 200), { needsSetup: true });
    const account = { username: 'root', password: ROOT_PASSWORD };
    const missing = await browser.call('/api/setup', { json: account });
    assert.equal(missing.status, 400);
    const wrong = await browser.call('/api/setup', { json: { ...account, accessKey: 'not-the-key' } });
    assert.equal(wrong.status, 403);
    assert.equal((await apiError(wrong)).code, 'invalid_access_key');
    const weak = await browser.call('/api/setup', {
      json: { username: 'root', password: 'root-root-root', accessKey: ACCESS_KEY },
    });
    assert.equal(weak.status, 400);
    assert.match((await apiError(weak)).message, /user name/);

    const racers = await Promise.all(
      ['root', 'rival'].map((username) =>
        new ApiSession(relay.url).call('/api/setup', {
          json: { username, password: ROOT_PASSWORD, accessKey: ACCESS_KEY },
        }),
      ),
    );
    assert.deepEqual(racers.map((r) => r.status).sort(), [201, 409]);
    const winner = racers.find((r) => r.status === 201)!;
    const session = (await winner.json()) as SessionView;
    assert.equal(session.user.role, 'superadmin');
    assert.ok(setCookies(winner).some((c) => c.name === 'mr_access'));
    assert.deepEqual(await browser.json('/api/setup/status', 200), { needsSetup: false });
    const again = await browser.call('/api/setup', { json: { ...account, accessKey: ACCESS_KEY } });
    assert.equal(again.status, 409);
    assert.equal((await apiError(again)).code, 'setup_done');
  });
});

describe('sessions, sign-up and accounts', () => {
  let relay: RelayHarness;
  let root: ApiSession;
  let rootUser: UserView;
  let nextIp = 0;
  const ip = () => `10.9.${Math.floor(++nextIp / 250)}.${nextIp % 250}`;
  const browser = () => new ApiSession(relay.url, ip());
  const reload = (config: object) => {
    relay.writeConfig(config);
    const result = relay.app.get(ConfigService).reload();
    assert.ok(result.ok, JSON.stringify(result));
  };

  /** A new account with `role`, made through an invite by root (admin invites need a superadmin). */
  async function account(username: string, role: 'user' | 'admin' = 'user', email?: string) {
    const invite = await root.json<CreatedInvite>('/api/users/invites', 201, { json: { role, email } });
    const session = browser();
    const signedUp = await session.json<SessionView>('/api/auth/signup', 201, {
      json: { username, password: PASSWORD, invite: invite.token, email },
    });
    return { session, user: signedUp.user };
  }

  before(async () => {
    relay = await startRelay(BASE_CONFIG);
    root = browser();
    rootUser = (
      await root.json<SessionView>('/api/setup', 201, {
        json: { username: 'root', password: ROOT_PASSWORD, accessKey: ACCESS_KEY, email: 'root@example.com' },
      })
    ).user;
  });
  after(() => relay.close());

  it('signs in with httpOnly SameSite=Lax cookies, Secure over https', async () => {
    const session = browser();
    const response = await session.call('/api/auth/login', {
      json: { username: 'ROOT', password: ROOT_PASSWORD },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as SessionView;
    assert.equal(body.user.username, 'root');
    assert.equal(body.expiresIn, 900);
    assert.ok(body.accessToken.startsWith('eyJ'));
    const cookies = Object.fromEntries(setCookies(response).map((c) => [c.name, c]));
    const access = cookies.mr_access.attributes;
    assert.equal(cookies.mr_access.value, body.accessToken);
    assert.ok('httponly' in access);
    assert.equal(access.samesite.toLowerCase(), 'lax');
    assert.equal(access.path, '/');
    assert.equal(access['max-age'], '900');
    assert.ok(!('secure' in access));
    const refresh = cookies.mr_refresh.attributes;
    assert.ok('httponly' in refresh);
    assert.equal(refresh.samesite.toLowerCase(), 'lax');
    assert.equal(refresh.path, '/api/auth');
    assert.equal(refresh['max-age'], String(30 * 86_400));

    // behind a trusted proxy that terminated TLS
    const secure = await session.call('/api/auth/login', {
      json: { username: 'root', password: ROOT_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.ok(setCookies(secure).every((c) => 'secure' in c.attributes));
  });

  it('answers /api/auth/me with the cookie and with a Bearer access token', async () => {
    const me = await root.json<MeView>('/api/auth/me', 200);
    assert.equal(me.username, 'root');
    assert.equal(me.kind, 'user');
    assert.equal(me.hasPassword, true);
    assert.deepEqual(me.identities, []);
    const login = await browser().login('root', ROOT_PASSWORD);
    const bearer = await fetch(`${relay.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${login.accessToken}` },
    });
    assert.equal(bearer.status, 200);
    assert.equal(((await bearer.json()) as MeView).id, rootUser.id);
    const none = await fetch(`${relay.url}/api/auth/me`);
    assert.equal(none.status, 401);
    assert.equal((await apiError(none)).code, 'missing_credentials');
    const forged = await fetch(`${relay.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${login.accessToken.slice(0, -4)}AAAA` },
    });
    assert.equal(forged.status, 401);
    // the access key is a /v1 credential only by default
    const key = await fetch(`${relay.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${ACCESS_KEY}` },
    });
    assert.equal(key.status, 401);
    assert.equal((await apiError(key)).code, 'access_key_not_allowed');
  });

  it('rotates the refresh token; the old one coming back revokes the session', async () => {
    const session = browser();
    await session.login('root', ROOT_PASSWORD);
    const firstRefresh = session.refresh!;
    const refreshed = await session.json<SessionView>('/api/auth/refresh', 200, { method: 'POST' });
    assert.notEqual(session.refresh, firstRefresh);
    assert.equal(session.access, refreshed.accessToken);
    assert.equal(refreshed.user.id, rootUser.id);
    await session.json('/api/auth/me', 200);

    // a copy of the old refresh token, replayed after the grace for racing tabs
    await new Promise((resolve) => setTimeout(resolve, REFRESH_REUSE_GRACE_MS + 100));
    const thief = new ApiSession(relay.url, ip());
    thief.refresh = firstRefresh;
    const stolen = await thief.call('/api/auth/refresh', { method: 'POST' });
    assert.equal(stolen.status, 401);
    assert.equal((await apiError(stolen)).code, 'refresh_token_reused');
    // the whole session is gone: the current access token and refresh token too
    const me = await session.call('/api/auth/me');
    assert.equal(me.status, 401);
    assert.equal((await session.call('/api/auth/refresh', { method: 'POST' })).status, 401);

    const noCookie = await new ApiSession(relay.url).call('/api/auth/refresh', { method: 'POST' });
    assert.equal(noCookie.status, 400);
  });

  it('two tabs refreshing at once both get the new token', async () => {
    const session = browser();
    await session.login('root', ROOT_PASSWORD);
    const tab2 = new ApiSession(relay.url, session.ip);
    tab2.refresh = session.refresh;
    const [a, b] = await Promise.all([
      session.call('/api/auth/refresh', { method: 'POST' }),
      tab2.call('/api/auth/refresh', { method: 'POST' }),
    ]);
    assert.deepEqual([a.status, b.status], [200, 200]);
    assert.equal(session.refresh, tab2.refresh);
    await session.json('/api/auth/me', 200);
  });

  it('logout ends the session at once', async () => {
    const session = browser();
    await session.login('root', ROOT_PASSWORD);
    const access = session.access!;
    await session.json('/api/auth/me', 200);
    const out = await session.call('/api/auth/logout', { method: 'POST' });
    assert.equal(out.status, 204);
    assert.equal(session.access, null);
    assert.equal(session.refresh, null);
    const replay = await fetch(`${relay.url}/api/auth/me`, { headers: { cookie: `mr_access=${access}` } });
    assert.equal(replay.status, 401);
    assert.equal((await apiError(replay)).code, 'session_ended');
  });

  it('a password change signs out the other sessions and keeps this one', async () => {
    const { session: laptop } = await account('pat');
    const phone = browser();
    await phone.login('pat', PASSWORD);
    const wrong = await laptop.call('/api/auth/password', {
      json: { currentPassword: 'not my password', newPassword: 'another fine passphrase' },
    });
    assert.equal(wrong.status, 400);
    assert.equal((await apiError(wrong)).code, 'wrong_password');
    const weak = await laptop.call('/api/auth/password', {
      json: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    assert.equal(weak.status, 400);
    const oldAccess = laptop.access;
    await laptop.json('/api/auth/password', 200, {
      json: { currentPassword: PASSWORD, newPassword: 'another fine passphrase' },
    });
    assert.notEqual(laptop.access, oldAccess);
    await laptop.json('/api/auth/me', 200);
    assert.equal((await phone.call('/api/auth/me')).status, 401);
    assert.equal(
      (await fetch(`${relay.url}/api/auth/me`, { headers: { cookie: `mr_access=${oldAccess}` } })).status,
      401,
    );
    assert.equal(
      (await browser().call('/api/auth/login', { json: { username: 'pat', password: PASSWORD } })).status,
      401,
    );
    await browser().login('pat', 'another fine passphrase');
  });

  it('a disabled user is signed out (401) and cannot sign in (403)', async () => {
    const { session, user } = await account('dana');
    await session.json('/api/auth/me', 200);
    const disabled = await root.json<UserView>(`/api/users/${user.id}`, 200, {
      method: 'PATCH',
      json: { disabled: true },
    });
    assert.equal(disabled.disabled, true);
    const me = await session.call('/api/auth/me');
    assert.equal(me.status, 401);
    const login = await browser().call('/api/auth/login', { json: { username: 'dana', password: PASSWORD } });
    assert.equal(login.status, 403);
    assert.equal((await apiError(login)).code, 'account_disabled');
    // a wrong password for a disabled account is just a wrong password (nothing to learn)
    const guess = await browser().call('/api/auth/login', {
      json: { username: 'dana', password: 'wrong guess!!' },
    });
    assert.equal(guess.status, 401);
    await root.json(`/api/users/${user.id}`, 200, { method: 'PATCH', json: { disabled: false } });
    await browser().login('dana', PASSWORD);
  });

  it('rate-limits failed sign-ins per account, with Retry-After, before checking the password', async () => {
    await account('casey');
    const wrong = { username: 'casey', password: 'not the password' };
    for (let i = 0; i < 3; i++) {
      const response = await browser().call('/api/auth/login', { json: wrong });
      assert.equal(response.status, 401);
      assert.equal((await apiError(response)).message, 'Incorrect user name or password.');
    }
    const limited = await browser().call('/api/auth/login', {
      json: { username: 'Casey', password: PASSWORD },
    });
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 800 && retryAfter <= 900, String(retryAfter));
    assert.equal((await apiError(limited)).code, 'too_many_attempts');
    // an unknown user name answers the same as a known one
    const unknown = await browser().call('/api/auth/login', {
      json: { username: 'nobody', password: 'whatever!!' },
    });
    assert.equal(unknown.status, 401);
    assert.equal((await apiError(unknown)).message, 'Incorrect user name or password.');
  });

  it('rate-limits failed sign-ins per client address', async () => {
    const attacker = browser();
    for (let i = 0; i < 6; i++) {
      const response = await attacker.call('/api/auth/login', {
        json: { username: `guess${i}`, password: 'x' },
      });
      assert.equal(response.status, 401);
    }
    const limited = await attacker.call('/api/auth/login', {
      json: { username: 'root', password: ROOT_PASSWORD },
    });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // root from elsewhere is fine
    await browser().login('root', ROOT_PASSWORD);
  });

  it('sso.sso_only turns password sign-in (and sign-up) off', async () => {
    reload({ ...BASE_CONFIG, sso: { sso_only: true }, auth: { ...BASE_CONFIG.auth, open_signup: true } });
    try {
      const login = await browser().call('/api/auth/login', {
        json: { username: 'root', password: ROOT_PASSWORD },
      });
      assert.equal(login.status, 403);
      assert.equal((await apiError(login)).code, 'sso_only');
      const signup = await browser().call('/api/auth/signup', {
        json: { username: 'newbie', password: PASSWORD },
      });
      assert.equal(signup.status, 403);
    } finally {
      reload(BASE_CONFIG);
    }
  });

  it('sign-up is closed by default, works once per invite, and an e-mail invite only for that e-mail', async () => {
    const closed = await browser().call('/api/auth/signup', {
      json: { username: 'walkin', password: PASSWORD },
    });
    assert.equal(closed.status, 403);
    assert.equal((await apiError(closed)).code, 'signup_closed');

    const invite = await root.json<CreatedInvite>('/api/users/invites', 201, { json: {} });
    assert.equal(invite.role, 'user');
    assert.match(invite.url, new RegExp(`^${relay.url}/#/signup\\?invite=`));
    const first = await browser().json<SessionView>('/api/auth/signup', 201, {
      json: { username: 'invited', password: PASSWORD, invite: invite.token },
    });
    assert.equal(first.user.role, 'user');
    const reused = await browser().call('/api/auth/signup', {
      json: { username: 'invited2', password: PASSWORD, invite: invite.token },
    });
    assert.equal(reused.status, 403);
    assert.equal((await apiError(reused)).code, 'invalid_invite');
    const bogus = await browser().call('/api/auth/signup', {
      json: { username: 'invited3', password: PASSWORD, invite: 'x'.repeat(43) },
    });
    assert.equal(bogus.status, 403);

    const forEmail = await root.json<CreatedInvite>('/api/users/invites', 201, {
      json: { email: 'lee@example.com' },
    });
    const other = await browser().call('/api/auth/signup', {
      json: { username: 'lee', password: PASSWORD, invite: forEmail.token, email: 'eve@example.com' },
    });
    assert.equal(other.status, 403);
    assert.equal((await apiError(other)).code, 'invite_email_mismatch');
    const lee = await browser().json<SessionView>('/api/auth/signup', 201, {
      json: { username: 'lee', password: PASSWORD, invite: forEmail.token, email: 'Lee@Example.com' },
    });
    assert.equal(lee.user.email, 'lee@example.com');

    const invites = await root.json<Array<{ id: string; state: string }>>('/api/users/invites', 200);
    assert.equal(invites.find((i) => i.id === invite.id)?.state, 'used');
    const pending = await root.json<CreatedInvite>('/api/users/invites', 201, { json: {} });
    assert.equal((await root.call(`/api/users/invites/${pending.id}`, { method: 'DELETE' })).status, 204);
    const withdrawn = await browser().call('/api/auth/signup', {
      json: { username: 'late', password: PASSWORD, invite: pending.token },
    });
    assert.equal(withdrawn.status, 403);

    reload({ ...BASE_CONFIG, auth: { ...BASE_CONFIG.auth, open_signup: true } });
    try {
      const open = await browser().json<SessionView>('/api/auth/signup', 201, {
        json: { username: 'walkin', password: PASSWORD },
      });
      assert.equal(open.user.role, 'user');
      const taken = await browser().call('/api/auth/signup', {
        json: { username: 'WALKIN', password: PASSWORD },
      });
      assert.equal(taken.status, 409);
    } finally {
      reload(BASE_CONFIG);
    }
  });

  it('keeps admins to superadmins, nobody demotes themselves, and one superadmin remains', async () => {
    const { session: admin, user: adminUser } = await account('ada', 'admin');
    const { user: plain } = await account('ulla');
    assert.equal(adminUser.role, 'admin');

    // an admin cannot make admins, by invite, creation or promotion
    const adminInvite = await admin.call('/api/users/invites', { json: { role: 'admin' } });
    assert.equal(adminInvite.status, 403);
    assert.equal((await apiError(adminInvite)).code, 'superadmin_only');
    assert.equal(
      (await admin.call('/api/users', { json: { username: 'x1', password: PASSWORD, role: 'admin' } }))
        .status,
      403,
    );
    const promote = await admin.call(`/api/users/${plain.id}`, { method: 'PATCH', json: { role: 'admin' } });
    assert.equal(promote.status, 403);
    // ... but manages users
    await admin.json(`/api/users/${plain.id}`, 200, { method: 'PATCH', json: { displayName: 'Ulla U.' } });
    await admin.json('/api/users/invites', 201, { json: { role: 'user' } });
    // and cannot touch the superadmin or demote themselves
    assert.equal(
      (await admin.call(`/api/users/${rootUser.id}`, { method: 'PATCH', json: { disabled: true } })).status,
      403,
    );
    const selfDemote = await admin.call(`/api/users/${adminUser.id}`, {
      method: 'PATCH',
      json: { role: 'user' },
    });
    assert.equal(selfDemote.status, 403);
    assert.equal((await apiError(selfDemote)).code, 'self_change');
    // an admin resets a user's password (the user's sessions end), not an admin's
    const ulla = browser();
    await ulla.login('ulla', PASSWORD);
    assert.equal(
      (await admin.call(`/api/users/${plain.id}/password`, { json: { password: 'reset by the admin ok' } }))
        .status,
      204,
    );
    assert.equal((await ulla.call('/api/auth/me')).status, 401);
    await browser().login('ulla', 'reset by the admin ok');
    assert.equal(
      (await admin.call(`/api/users/${rootUser.id}/password`, { json: { password: PASSWORD } })).status,
      403,
    );

    // the superadmin grants and revokes admin
    await root.json(`/api/users/${plain.id}`, 200, { method: 'PATCH', json: { role: 'admin' } });
    await root.json(`/api/users/${plain.id}`, 200, { method: 'PATCH', json: { role: 'user' } });
    const rootSelf = await root.call(`/api/users/${rootUser.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
    });
    assert.equal(rootSelf.status, 403);
    assert.equal(
      (await root.call(`/api/users/${rootUser.id}`, { method: 'PATCH', json: { disabled: true } })).status,
      403,
    );

    // the last enabled superadmin stays, even for the access key holding the superadmin role
    reload({ ...BASE_CONFIG, auth: { ...BASE_CONFIG.auth, access_key_role: 'superadmin' } });
    try {
      const demote = await fetch(`${relay.url}/api/users/${rootUser.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'admin' }),
      });
      assert.equal(demote.status, 409);
      assert.equal((await apiError(demote)).code, 'last_superadmin');
    } finally {
      reload(BASE_CONFIG);
    }
    // with a second superadmin, one may be demoted
    await root.json(`/api/users/${adminUser.id}`, 200, { method: 'PATCH', json: { role: 'superadmin' } });
    await admin.json(`/api/users/${rootUser.id}`, 200, { method: 'PATCH', json: { role: 'admin' } });
    await admin.json(`/api/users/${rootUser.id}`, 200, { method: 'PATCH', json: { role: 'superadmin' } });
    await root.json(`/api/users/${adminUser.id}`, 200, { method: 'PATCH', json: { role: 'admin' } });
  });

  it('rejects a state-changing cookie request from a foreign origin', async () => {
    const foreign = await root.call('/api/users/invites', {
      json: {},
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(foreign.status, 403);
    assert.equal((await apiError(foreign)).code, 'origin_not_allowed');
    await root.json('/api/users/invites', 201, { json: {}, headers: { origin: relay.url } });
    // a page on another origin cannot read with the cookie either
    const read = await root.call('/api/users', { headers: { origin: 'https://evil.example' } });
    assert.equal(read.status, 403);
    await root.json('/api/users', 200, { headers: { origin: relay.url } });
    const login = await browser().call('/api/auth/login', {
      json: { username: 'root', password: ROOT_PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(login.status, 403);
  });

  it('never returns password or token hashes', async () => {
    const users = await root.call('/api/users');
    const text = await users.text();
    assert.equal(users.status, 200);
    for (const secret of ['passwordHash', 'password_hash', '$argon2', 'refreshHash', 'sessionsValidAfter'])
      assert.ok(!text.includes(secret), secret);
    const list = JSON.parse(text) as UserView[];
    assert.ok(list.some((u) => u.username === 'root' && u.hasPassword));
    const invites = await (await root.call('/api/users/invites')).text();
    assert.ok(!invites.includes('tokenHash') && !invites.includes('"token"'));
    const plain = await account('quinn');
    assert.equal((await plain.session.call('/api/users')).status, 403);
  });

  it('makes SSO user names unique by suffixing (createUser)', async () => {
    const users = relay.app.get(UsersService);
    const make = (username: string) =>
      users.createUser({ username, displayName: username, email: null, role: 'user', passwordHash: null });
    assert.equal((await make('octocat')).username, 'octocat');
    assert.equal((await make('OctoCat')).username, 'OctoCat-2');
    assert.equal((await make('octocat')).username, 'octocat-3');
    assert.equal((await make('Mona Lisa!')).username, 'Mona-Lisa-');
    const me = await browser().call('/api/auth/login', {
      json: { username: 'octocat', password: 'anything at all' },
    });
    assert.equal(me.status, 401); // no password: SSO only
  });

  it('a user sees only their own log entries; an admin sees all', async () => {
    const { session: own, user } = await account('logan');
    const random = seededRandom(7);
    const now = Date.now();
    const records = [
      ...Array.from({ length: 3 }, (_, i) =>
        makeLogRecord({ timestamp: now - i * 1000, random, users: [user.id] }),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        makeLogRecord({ timestamp: now - i * 1000, random, users: ['someone-else', null] }),
      ),
    ];
    await relay.app.get(RequestLogStore).append(records);
    const mine = await own.json<RequestLogPage>('/api/logs', 200);
    assert.equal(mine.entries.length, 3);
    assert.ok(mine.entries.every((e) => e.userId === user.id));
    const foreignId = records[5].entry.id;
    assert.equal((await own.call(`/api/logs/${foreignId}`)).status, 404);
    const all = await root.json<RequestLogPage>('/api/logs', 200);
    assert.ok(all.entries.length >= 7);
    assert.equal((await own.call('/api/logs', { method: 'DELETE' })).status, 403);
  });
});
