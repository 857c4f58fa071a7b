import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeGitHub } from './fake-github';
import { browse, getJson, pkcePair, postForm } from './spec-helpers';
import type { FakeGitHub } from './types';

const CALLBACK = 'http://127.0.0.1:4000/auth/github/callback';
const UA = { 'user-agent': 'passport-github' };

describe('fake GitHub', () => {
  let github: FakeGitHub;

  before(async () => {
    github = await startFakeGitHub({ clientId: 'gh-id', clientSecret: 'gh-secret', callbackUrl: CALLBACK });
    github.addUser({
      id: 1001,
      login: 'octocat',
      name: 'The Octocat',
      email: null,
      emails: [
        { email: 'octo@private.test', primary: true, verified: true, visibility: 'private' },
        { email: 'old@example.test', primary: false, verified: false, visibility: null },
      ],
      orgs: ['acme', { login: 'globex', id: 77 }],
    });
    github.addUser({ id: 1002, login: 'hubot', email: 'hubot@example.test' });
  });
  after(() => github.close());
  beforeEach(() => github.reset());

  /** Signs `login` in with PKCE; answers the code, the verifier and the redirect. */
  async function authorize(login: string, extra: Record<string, string> = {}) {
    const { verifier, challenge } = pkcePair();
    github.nextLogin(login);
    const redirect = await browse(github.authorizationURL, {
      client_id: 'gh-id',
      redirect_uri: CALLBACK,
      scope: 'user:email,read:org',
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    assert.equal(redirect.status, 302, redirect.text);
    return { code: redirect.callback!.searchParams.get('code')!, verifier, redirect };
  }

  function redeem(fields: Record<string, string | undefined>, accept: string | null = 'application/json') {
    return postForm(
      github.tokenURL,
      {
        grant_type: 'authorization_code',
        client_id: 'gh-id',
        client_secret: 'gh-secret',
        redirect_uri: CALLBACK,
        ...fields,
      },
      accept === null ? {} : { accept },
    );
  }

  it('exposes its URLs in the GitHub Enterprise layout', () => {
    const base = `http://127.0.0.1:${github.port}`;
    assert.equal(github.baseUrl, base);
    assert.equal(github.authorizationURL, `${base}/login/oauth/authorize`);
    assert.equal(github.tokenURL, `${base}/login/oauth/access_token`);
    assert.equal(github.apiUrl, `${base}/api/v3`);
    assert.equal(github.userProfileURL, `${base}/api/v3/user`);
    assert.equal(github.userEmailURL, `${base}/api/v3/user/emails`);
    assert.equal(github.orgsURL, `${base}/api/v3/user/orgs`);
    assert.equal(github.clientId, 'gh-id');
    assert.equal(github.clientSecret, 'gh-secret');
  });

  it('runs the whole flow: authorize → code → JSON token → user, emails, orgs', async () => {
    const { code, verifier, redirect } = await authorize('octocat');
    assert.equal(`${redirect.callback!.origin}${redirect.callback!.pathname}`, CALLBACK);
    assert.equal(redirect.callback!.searchParams.get('state'), 'state-1');
    assert.match(code, /^[0-9a-f]{20}$/);

    const response = await redeem({ code, code_verifier: verifier });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^application\/json/);
    const token = (await response.json()) as Record<string, string>;
    assert.match(token.access_token!, /^gho_[A-Za-z0-9]{36}$/);
    assert.deepEqual(
      { ...token, access_token: 'x' },
      {
        access_token: 'x',
        token_type: 'bearer',
        scope: 'user:email,read:org',
      },
    );

    const user = await getJson(github.userProfileURL, `token ${token.access_token}`, UA);
    assert.equal(user.status, 200);
    assert.equal(user.headers.get('x-oauth-scopes'), 'user:email, read:org');
    const profile = user.body as Record<string, unknown>;
    assert.equal(profile.login, 'octocat');
    assert.equal(profile.id, 1001);
    assert.equal(profile.name, 'The Octocat');
    assert.equal(profile.email, null);
    assert.equal(profile.type, 'User');
    assert.equal(profile.html_url, `${github.baseUrl}/octocat`);
    assert.equal(profile.url, `${github.apiUrl}/users/octocat`);
    assert.equal(typeof profile.node_id, 'string');
    assert.equal(typeof profile.avatar_url, 'string');

    const emails = await getJson(github.userEmailURL, `Bearer ${token.access_token}`, UA);
    assert.equal(emails.status, 200);
    assert.deepEqual(emails.body, [
      { email: 'octo@private.test', primary: true, verified: true, visibility: 'private' },
      { email: 'old@example.test', primary: false, verified: false, visibility: null },
    ]);

    const orgs = await getJson(github.orgsURL, `bearer ${token.access_token}`, UA);
    assert.equal(orgs.status, 200);
    const list = orgs.body as { login: string; id: number }[];
    assert.deepEqual(
      list.map((org) => org.login),
      ['acme', 'globex'],
    );
    assert.equal(list[1]!.id, 77);
    assert.ok(Number.isInteger(list[0]!.id));

    const authorizeRequest = github.authorizeRequests[0]!;
    assert.equal(authorizeRequest.state, 'state-1');
    assert.equal(authorizeRequest.redirectUri, CALLBACK);
    assert.equal(authorizeRequest.scope, 'user:email,read:org');
    assert.equal(authorizeRequest.codeChallengeMethod, 'S256');
    const tokenRequest = github.requests.find((request) => request.path === '/login/oauth/access_token')!;
    assert.equal(tokenRequest.method, 'POST');
    assert.equal(tokenRequest.body!.code_verifier, verifier);
    assert.equal(tokenRequest.status, 200);
    assert.deepEqual(
      github.requests.map((request) => `${request.method} ${request.path}`),
      [
        'GET /login/oauth/authorize',
        'POST /login/oauth/access_token',
        'GET /api/v3/user',
        'GET /api/v3/user/emails',
        'GET /api/v3/user/orgs',
      ],
    );
  });

  it('answers form-encoded without Accept: application/json, errors too (HTTP 200)', async () => {
    const { code, verifier } = await authorize('hubot');
    const response = await redeem({ code, code_verifier: verifier }, null);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^application\/x-www-form-urlencoded/);
    const fields = new URLSearchParams(await response.text());
    assert.match(fields.get('access_token')!, /^gho_/);
    assert.equal(fields.get('token_type'), 'bearer');
    assert.equal(fields.get('scope'), 'user:email,read:org');

    const again = await redeem({ code, code_verifier: verifier }, null);
    assert.equal(again.status, 200);
    const error = new URLSearchParams(await again.text());
    assert.equal(error.get('error'), 'bad_verification_code');
    assert.equal(error.get('error_description'), 'The code passed is incorrect or expired.');
    assert.match(error.get('error_uri')!, /^https:\/\/docs\.github\.com\//);
  });

  it('echoes the state unchanged and keeps the callback URL query', async () => {
    const state = 'a b+c/=&?ü%41';
    const { redirect } = await authorize('octocat', { state, redirect_uri: `${CALLBACK}?next=%2Fhome` });
    assert.equal(redirect.callback!.searchParams.get('state'), state);
    assert.ok(redirect.location!.startsWith(`${CALLBACK}?next=%2Fhome&code=`));
  });

  it('accepts a redirect_uri below the callback path; falls back to the callback when omitted', async () => {
    const below = await authorize('octocat', { redirect_uri: `${CALLBACK}/extra` });
    assert.equal(below.redirect.callback!.pathname, '/auth/github/callback/extra');
    github.nextLogin('octocat');
    const omitted = await browse(github.authorizationURL, { client_id: 'gh-id', state: 's' });
    assert.ok(omitted.location!.startsWith(`${CALLBACK}?code=`));
  });

  it('requires the PKCE verifier matching the challenge', async () => {
    const mismatched = await authorize('octocat');
    const wrong = (await (
      await redeem({ code: mismatched.code, code_verifier: pkcePair().verifier })
    ).json()) as {
      error: string;
    };
    assert.equal(wrong.error, 'bad_verification_code');

    const missing = await authorize('octocat');
    const none = (await (await redeem({ code: missing.code })).json()) as { error: string };
    assert.equal(none.error, 'bad_verification_code');
  });

  it('redeems a code without PKCE when the authorization had no challenge', async () => {
    github.nextLogin('octocat');
    const redirect = await browse(github.authorizationURL, { client_id: 'gh-id', redirect_uri: CALLBACK });
    const code = redirect.callback!.searchParams.get('code')!;
    assert.equal(redirect.callback!.searchParams.has('state'), false);
    const token = (await (await redeem({ code })).json()) as { access_token?: string };
    assert.match(token.access_token!, /^gho_/);
  });

  it('rejects a reused code and an expired one', async () => {
    const { code, verifier } = await authorize('octocat');
    assert.ok(
      ((await (await redeem({ code, code_verifier: verifier })).json()) as { access_token?: string })
        .access_token,
    );
    const reused = (await (await redeem({ code, code_verifier: verifier })).json()) as { error: string };
    assert.equal(reused.error, 'bad_verification_code');

    const shortLived = await startFakeGitHub({ codeLifetimeMs: 20, users: [{ id: 1, login: 'solo' }] });
    try {
      const redirect = await browse(shortLived.authorizationURL, {
        client_id: shortLived.clientId,
        redirect_uri: CALLBACK,
      });
      await new Promise((resolve) => setTimeout(resolve, 40));
      const expired = await postForm(
        shortLived.tokenURL,
        {
          client_id: shortLived.clientId,
          client_secret: shortLived.clientSecret,
          code: redirect.callback!.searchParams.get('code')!,
        },
        { accept: 'application/json' },
      );
      assert.equal(((await expired.json()) as { error: string }).error, 'bad_verification_code');
    } finally {
      await shortLived.close();
    }
  });

  it('answers a wrong client secret with HTTP 200 incorrect_client_credentials, keeping the code', async () => {
    const { code, verifier } = await authorize('octocat');
    const response = await redeem({ code, code_verifier: verifier, client_secret: 'nope' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      error: 'incorrect_client_credentials',
      error_description: 'The client_id and/or client_secret passed are incorrect.',
      error_uri:
        'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials',
    });
    const retried = (await (await redeem({ code, code_verifier: verifier })).json()) as {
      access_token?: string;
    };
    assert.match(retried.access_token!, /^gho_/);
  });

  it('rejects a wrong redirect_uri at the authorize step and at the token step', async () => {
    github.nextLogin('octocat');
    const elsewhere = await browse(github.authorizationURL, {
      client_id: 'gh-id',
      redirect_uri: 'http://127.0.0.1:4000/auth/github/callbackx',
      state: 'st',
    });
    assert.equal(elsewhere.status, 302);
    assert.ok(elsewhere.location!.startsWith(`${CALLBACK}?error=redirect_uri_mismatch&`));
    assert.equal(elsewhere.callback!.searchParams.get('state'), 'st');
    const otherPort = await browse(github.authorizationURL, {
      client_id: 'gh-id',
      redirect_uri: 'http://127.0.0.1:4001/auth/github/callback',
    });
    assert.equal(otherPort.callback!.searchParams.get('error'), 'redirect_uri_mismatch');

    // The pending login was not used up by the rejected requests.
    const { code, verifier } = await authorize('octocat', { redirect_uri: `${CALLBACK}/a` });
    const response = await redeem({ code, code_verifier: verifier, redirect_uri: `${CALLBACK}/b` });
    assert.equal(((await response.json()) as { error: string }).error, 'redirect_uri_mismatch');
  });

  it('shows 404 for an unknown client_id', async () => {
    const page = await browse(github.authorizationURL, { client_id: 'other', redirect_uri: CALLBACK });
    assert.equal(page.status, 404);
    assert.equal(page.location, undefined);
  });

  it('redirects a denied consent with access_denied and the state', async () => {
    github.nextLogin({ deny: true });
    const redirect = await browse(github.authorizationURL, {
      client_id: 'gh-id',
      redirect_uri: CALLBACK,
      state: 'xyz',
    });
    assert.equal(redirect.status, 302);
    const query = redirect.callback!.searchParams;
    assert.equal(query.get('error'), 'access_denied');
    assert.equal(query.get('error_description'), 'The user has denied your application access.');
    assert.equal(query.get('state'), 'xyz');
    assert.equal(query.has('code'), false);
  });

  it('needs a chosen login when several users exist; logins are queued in order', async () => {
    const unchosen = await browse(github.authorizationURL, { client_id: 'gh-id', redirect_uri: CALLBACK });
    assert.equal(unchosen.status, 400);
    assert.match(unchosen.text, /nextLogin/);
    assert.throws(() => github.nextLogin('nobody'), /no registered user/);

    github.nextLogin('HUBOT');
    github.nextLogin('octocat');
    const logins: string[] = [];
    for (let i = 0; i < 2; i++) {
      const redirect = await browse(github.authorizationURL, {
        client_id: 'gh-id',
        redirect_uri: CALLBACK,
        scope: 'read:user',
      });
      const code = redirect.callback!.searchParams.get('code')!;
      const token = (await (await redeem({ code })).json()) as { access_token: string };
      const user = await getJson(github.userProfileURL, `token ${token.access_token}`, UA);
      logins.push((user.body as { login: string }).login);
    }
    assert.deepEqual(logins, ['hubot', 'octocat']);
  });

  it('answers API calls without a valid token 401 Bad credentials', async () => {
    for (const authorization of [undefined, 'token gho_unknown', 'Basic Zm9vOmJhcg==']) {
      const response = await getJson(github.userProfileURL, authorization, UA);
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
  });

  it('checks the User-Agent and the scopes of emails and orgs', async () => {
    github.nextLogin('hubot');
    const redirect = await browse(github.authorizationURL, { client_id: 'gh-id', redirect_uri: CALLBACK });
    const code = redirect.callback!.searchParams.get('code')!;
    const token = ((await (await redeem({ code })).json()) as { access_token: string }).access_token;

    const noAgent = await fetch(github.userProfileURL, {
      headers: { authorization: `token ${token}`, 'user-agent': '' },
    });
    assert.equal(noAgent.status, 403);
    await noAgent.arrayBuffer();

    const user = await getJson(github.userProfileURL, `token ${token}`, UA);
    assert.equal((user.body as { email: string }).email, 'hubot@example.test');
    assert.equal((await getJson(github.userEmailURL, `token ${token}`, UA)).status, 404);
    const orgs = await getJson(github.orgsURL, `token ${token}`, UA);
    assert.equal(orgs.status, 403);
    assert.match((orgs.body as { message: string }).message, /read:org/);
    assert.equal((await getJson(`${github.apiUrl}/user/repos`, `token ${token}`, UA)).status, 404);
  });

  it('reset forgets requests and pending logins but keeps users', async () => {
    github.nextLogin({ deny: true });
    await browse(`${github.baseUrl}/elsewhere`);
    github.reset();
    assert.equal(github.requests.length, 0);
    assert.equal(github.authorizeRequests.length, 0);
    const { code } = await authorize('octocat');
    assert.ok(code);
  });

  it('close drops kept-alive connections at once and refuses new ones', async () => {
    const solo = await startFakeGitHub();
    const url = solo.authorizationURL;
    assert.equal((await browse(url)).status, 404);
    const started = Date.now();
    await solo.close();
    assert.ok(Date.now() - started < 1000);
    await assert.rejects(fetch(url));
  });
});
