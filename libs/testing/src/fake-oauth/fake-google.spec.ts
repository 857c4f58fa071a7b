import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeGoogle } from './fake-google';
import { browse, getJson, pkcePair, postForm } from './spec-helpers';
import type { FakeGoogle } from './types';

const CALLBACK = 'http://127.0.0.1:4000/auth/google/callback';
const PROFILE = 'https://www.googleapis.com/auth/userinfo.profile';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';

const ADA = {
  sub: '1234567890',
  email: 'ada@acme.test',
  email_verified: true,
  name: 'Ada Lovelace',
  given_name: 'Ada',
  family_name: 'Lovelace',
  picture: 'https://lh3.googleusercontent.com/a/ada',
  locale: 'en',
  hd: 'acme.test',
};

describe('fake Google', () => {
  let google: FakeGoogle;

  before(async () => {
    google = await startFakeGoogle({ clientId: 'g-id', clientSecret: 'g-secret', callbackUrl: CALLBACK });
    google.addUser(ADA);
    google.addUser({ sub: '555', email: 'bob@gmail.test', email_verified: false, name: 'Bob' });
  });
  after(() => google.close());
  beforeEach(() => google.reset());

  async function authorize(sub: string, extra: Record<string, string> = {}) {
    const { verifier, challenge } = pkcePair();
    google.nextLogin(sub);
    const redirect = await browse(google.authorizationURL, {
      client_id: 'g-id',
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid profile email',
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    assert.equal(redirect.status, 302, redirect.text);
    return { code: redirect.callback!.searchParams.get('code')!, verifier, redirect };
  }

  function redeem(fields: Record<string, string | undefined>, headers: Record<string, string> = {}) {
    return postForm(
      google.tokenURL,
      {
        grant_type: 'authorization_code',
        client_id: 'g-id',
        client_secret: 'g-secret',
        redirect_uri: CALLBACK,
        ...fields,
      },
      headers,
    );
  }

  async function errorOf(response: Response): Promise<{ status: number; body: unknown }> {
    return { status: response.status, body: await response.json() };
  }

  it('exposes its URLs at the real paths', () => {
    const base = `http://127.0.0.1:${google.port}`;
    assert.equal(google.baseUrl, base);
    assert.equal(google.authorizationURL, `${base}/o/oauth2/v2/auth`);
    assert.equal(google.tokenURL, `${base}/token`);
    assert.equal(google.userProfileURL, `${base}/oauth2/v3/userinfo`);
  });

  it('runs the whole flow: authorize → code → token with id_token → userinfo', async () => {
    const { code, verifier, redirect } = await authorize(ADA.sub, { nonce: 'n-1', access_type: 'online' });
    const query = redirect.callback!.searchParams;
    assert.equal(`${redirect.callback!.origin}${redirect.callback!.pathname}`, CALLBACK);
    assert.equal(query.get('state'), 'state-1');
    assert.match(code, /^4\/0A[\w-]+$/);
    assert.equal(query.get('scope'), `openid ${PROFILE} ${EMAIL}`);
    assert.equal(query.get('authuser'), '0');
    assert.equal(query.get('hd'), 'acme.test');

    const response = await redeem({ code, code_verifier: verifier });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^application\/json/);
    const token = (await response.json()) as Record<string, unknown>;
    assert.match(token.access_token as string, /^ya29\./);
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.expires_in, 3599);
    assert.equal(token.scope, `openid ${PROFILE} ${EMAIL}`);

    const [header, payload, signature] = (token.id_token as string).split('.');
    assert.equal(JSON.parse(Buffer.from(header!, 'base64url').toString()).alg, 'RS256');
    assert.ok(signature!.length > 100);
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims.iss, 'https://accounts.google.com');
    assert.equal(claims.aud, 'g-id');
    assert.equal(claims.azp, 'g-id');
    assert.equal(claims.sub, ADA.sub);
    assert.equal(claims.email, ADA.email);
    assert.equal(claims.email_verified, true);
    assert.equal(claims.hd, 'acme.test');
    assert.equal(claims.nonce, 'n-1');
    assert.equal(claims.name, ADA.name);
    assert.ok((claims.exp as number) > (claims.iat as number));

    const userinfo = await getJson(google.userProfileURL, `Bearer ${token.access_token as string}`);
    assert.equal(userinfo.status, 200);
    assert.deepEqual(userinfo.body, ADA);

    assert.deepEqual(
      google.requests.map((request) => `${request.method} ${request.path} ${request.status}`),
      ['GET /o/oauth2/v2/auth 302', 'POST /token 200', 'GET /oauth2/v3/userinfo 200'],
    );
    assert.equal(google.requests[1]!.body!.code, code);
    const authorizeRequest = google.authorizeRequests[0]!;
    assert.equal(authorizeRequest.state, 'state-1');
    assert.equal(authorizeRequest.scope, 'openid profile email');
    assert.equal(authorizeRequest.query.access_type, 'online');
  });

  it("grants openid along with 'profile email' and cuts claims to the scopes", async () => {
    const both = await authorize('555', { scope: 'profile email' });
    const token = (await (await redeem({ code: both.code, code_verifier: both.verifier })).json()) as {
      access_token: string;
      scope: string;
      id_token?: string;
    };
    assert.equal(token.scope, `${PROFILE} ${EMAIL} openid`);
    assert.ok(token.id_token);
    const userinfo = await getJson(google.userProfileURL, `Bearer ${token.access_token}`);
    assert.deepEqual(userinfo.body, {
      sub: '555',
      name: 'Bob',
      email: 'bob@gmail.test',
      email_verified: false,
    });

    const profileOnly = await authorize(ADA.sub, { scope: 'profile' });
    const profileToken = (await (
      await redeem({ code: profileOnly.code, code_verifier: profileOnly.verifier })
    ).json()) as { access_token: string };
    const profile = (await getJson(google.userProfileURL, `Bearer ${profileToken.access_token}`))
      .body as Record<string, unknown>;
    assert.equal(profile.name, ADA.name);
    assert.equal(profile.email, undefined);
  });

  it('echoes the state unchanged', async () => {
    const state = 'a b+c/=&?ü%41';
    const { redirect } = await authorize(ADA.sub, { state });
    assert.equal(redirect.callback!.searchParams.get('state'), state);
  });

  it('requires the PKCE verifier matching the challenge', async () => {
    const mismatched = await authorize(ADA.sub);
    assert.deepEqual(
      await errorOf(await redeem({ code: mismatched.code, code_verifier: pkcePair().verifier })),
      {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Bad Request' },
      },
    );
    const missing = await authorize(ADA.sub);
    assert.deepEqual(await errorOf(await redeem({ code: missing.code })), {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Missing code verifier.' },
    });
  });

  it('rejects a reused code and an expired one', async () => {
    const { code, verifier } = await authorize(ADA.sub);
    assert.equal((await redeem({ code, code_verifier: verifier })).status, 200);
    assert.deepEqual(await errorOf(await redeem({ code, code_verifier: verifier })), {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Bad Request' },
    });

    const shortLived = await startFakeGoogle({ codeLifetimeMs: 20, users: [ADA] });
    try {
      const redirect = await browse(shortLived.authorizationURL, {
        client_id: shortLived.clientId,
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'email',
      });
      await new Promise((resolve) => setTimeout(resolve, 40));
      const expired = await postForm(shortLived.tokenURL, {
        grant_type: 'authorization_code',
        client_id: shortLived.clientId,
        client_secret: shortLived.clientSecret,
        redirect_uri: CALLBACK,
        code: redirect.callback!.searchParams.get('code')!,
      });
      assert.equal(((await expired.json()) as { error: string }).error, 'invalid_grant');
    } finally {
      await shortLived.close();
    }
  });

  it('rejects a wrong client secret or an unknown client with 401 invalid_client', async () => {
    const { code, verifier } = await authorize(ADA.sub);
    assert.deepEqual(await errorOf(await redeem({ code, code_verifier: verifier, client_secret: 'nope' })), {
      status: 401,
      body: { error: 'invalid_client', error_description: 'Unauthorized' },
    });
    assert.deepEqual(await errorOf(await redeem({ code, code_verifier: verifier, client_id: 'other' })), {
      status: 401,
      body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' },
    });
    // The client's credentials may come as HTTP Basic instead (client_secret_basic).
    const basic = `Basic ${Buffer.from('g-id:g-secret').toString('base64')}`;
    const response = await redeem(
      { code, code_verifier: verifier, client_id: undefined, client_secret: undefined },
      { authorization: basic },
    );
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  });

  it('rejects a wrong redirect_uri on a page at the authorize step, and at the token step', async () => {
    google.nextLogin(ADA.sub);
    const page = await browse(google.authorizationURL, {
      client_id: 'g-id',
      redirect_uri: `${CALLBACK}/extra`,
      response_type: 'code',
      scope: 'email',
    });
    assert.equal(page.status, 400);
    assert.equal(page.location, undefined);
    assert.match(page.text, /redirect_uri_mismatch/);

    // The pending login was not used up by the rejected request.
    const { code, verifier } = await authorize(ADA.sub);
    assert.deepEqual(
      await errorOf(await redeem({ code, code_verifier: verifier, redirect_uri: `${CALLBACK}/other` })),
      { status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' } },
    );
  });

  it('shows error pages for an unknown client and a malformed request', async () => {
    const base = { client_id: 'g-id', redirect_uri: CALLBACK, response_type: 'code', scope: 'email' };
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...base, client_id: 'other' }, 401, /invalid_client/],
      [{ ...base, response_type: 'token' }, 400, /unsupported_response_type/],
      [{ ...base, scope: 'email nonsense' }, 400, /invalid_scope/],
      [{ client_id: 'g-id', redirect_uri: CALLBACK, response_type: 'code' }, 400, /scope/],
    ];
    for (const [params, status, text] of cases) {
      const page = await browse(google.authorizationURL, params);
      assert.equal(page.status, status);
      assert.match(page.text, text);
    }
  });

  it('redirects a denied consent with access_denied and the state', async () => {
    google.nextLogin({ deny: true });
    const redirect = await browse(google.authorizationURL, {
      client_id: 'g-id',
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'profile email',
      state: 'xyz',
    });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.location, `${CALLBACK}?error=access_denied&state=xyz`);
  });

  it('needs a chosen login when several users exist', async () => {
    const page = await browse(google.authorizationURL, {
      client_id: 'g-id',
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'email',
    });
    assert.equal(page.status, 400);
    assert.match(page.text, /nextLogin/);
    assert.throws(() => google.nextLogin('999'), /no registered user/);
  });

  it('answers userinfo without a valid token 401 Invalid Credentials', async () => {
    for (const authorization of [undefined, 'Bearer ya29.unknown', 'token ya29.unknown']) {
      const response = await getJson(google.userProfileURL, authorization);
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, { error: 'invalid_request', error_description: 'Invalid Credentials' });
      assert.match(response.headers.get('www-authenticate')!, /invalid_token/);
    }
  });
});
