import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OAUTH_FLOW,
  OAUTH_STATE_TTL_MS,
  type OAuthFlow,
  type OAuthStateRecord,
  OAuthStateStore,
  sealState,
  stateCookieKey,
  unsealState,
} from './oauth-state.store';

const key = stateCookieKey('session-secret-1');

function record(extra: Partial<OAuthStateRecord> = {}): OAuthStateRecord {
  return {
    v: 1,
    provider: 'github',
    state: 'S'.repeat(43),
    codeVerifier: 'V'.repeat(43),
    returnTo: '/#/logs',
    invite: null,
    link: null,
    createdAt: 1000,
    expiresAt: 1000 + OAUTH_STATE_TTL_MS,
    ...extra,
  };
}

describe('state cookie sealing (AES-256-GCM)', () => {
  it('round-trips, and never shows the record in the clear', () => {
    const sealed = sealState(record({ invite: 'tok' }), key);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
    assert.ok(
      !sealed.includes('SSSS') && !Buffer.from(sealed.slice(3), 'base64url').toString().includes('SSSS'),
    );
    assert.deepEqual(unsealState(sealed, key), record({ invite: 'tok' }));
    assert.notEqual(sealState(record(), key), sealState(record(), key), 'a fresh IV each time');
  });

  it('refuses another key, any altered byte, and junk', () => {
    const sealed = sealState(record(), key);
    assert.equal(unsealState(sealed, stateCookieKey('session-secret-2')), null);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (const index of [0, 12, bytes.length - 1]) {
      const copy = Buffer.from(bytes);
      copy[index] ^= 1;
      assert.equal(unsealState(`v1.${copy.toString('base64url')}`, key), null, `byte ${index}`);
    }
    for (const junk of ['', 'v1.', 'v2.' + sealed.slice(3), `${sealed}.x`, 'v1.AAAA', 'plain'])
      assert.equal(unsealState(junk, key), null, junk);
  });
});

function harness(now = 1000) {
  const used = new Set<string>();
  const clock = { now };
  const store = new OAuthStateStore({
    key: () => key,
    consume: async (id) => {
      if (used.has(id)) return false;
      used.add(id);
      return true;
    },
    now: () => clock.now,
  });
  return { store, clock, used };
}

/** Login step through the store, as passport-oauth2 calls it. */
function login(store: OAuthStateStore, flow: OAuthFlow, intent?: object): { state: string; sealed: string } {
  let state: string | undefined;
  store.store({ [OAUTH_FLOW]: flow }, 'verifier-123', intent, {}, (err, value) => {
    assert.equal(err, null);
    state = value;
  });
  return { state: state!, sealed: flow.sealed! };
}

function verify(store: OAuthStateStore, flow: OAuthFlow, state: unknown) {
  return new Promise<{ err: Error | null; ok: string | false; info: unknown }>((resolve) =>
    store.verify({ [OAUTH_FLOW]: flow }, state, (err, ok, info) => resolve({ err, ok, info })),
  );
}

describe('OAuthStateStore (passport-oauth2 custom store with PKCE)', () => {
  it('has the arities passport-oauth2 dispatches on: store/5 (PKCE) and verify/3', () => {
    const { store } = harness();
    assert.equal(store.store.length, 5);
    assert.equal(store.verify.length, 3);
  });

  it('login seals state, verifier and intent; the callback gets the verifier back once', async () => {
    const { store } = harness();
    const { state, sealed } = login(
      store,
      { provider: 'github', cookie: null },
      {
        returnTo: '/#/x',
        invite: 'inv',
        link: null,
      },
    );
    assert.match(state, /^[A-Za-z0-9_-]{43}$/);
    const inside = unsealState(sealed, key)!;
    assert.equal(inside.state, state);
    assert.equal(inside.codeVerifier, 'verifier-123');
    assert.equal(inside.returnTo, '/#/x');
    assert.equal(inside.invite, 'inv');
    assert.equal(inside.expiresAt - inside.createdAt, OAUTH_STATE_TTL_MS);

    const flow: OAuthFlow = { provider: 'github', cookie: sealed };
    const first = await verify(store, flow, state);
    assert.equal(first.err, null);
    assert.equal(first.ok, 'verifier-123');
    assert.equal((first.info as OAuthStateRecord).returnTo, '/#/x');
    assert.equal(flow.record?.state, state);

    const replay = await verify(store, { provider: 'github', cookie: sealed }, state);
    assert.equal(replay.ok, false);
    assert.deepEqual((replay.info as { code: string }).code, 'invalid_state');
  });

  it('refuses: no cookie, another browser’s cookie, wrong or missing state, other provider, expired', async () => {
    const { store, clock } = harness();
    const mine = login(store, { provider: 'github', cookie: null });
    const theirs = login(store, { provider: 'github', cookie: null });
    const code = async (flow: OAuthFlow, state: unknown) => {
      const result = await verify(store, flow, state);
      assert.equal(result.ok, false);
      return (result.info as { code: string }).code;
    };
    assert.equal(await code({ provider: 'github', cookie: null }, mine.state), 'invalid_state');
    assert.equal(await code({ provider: 'github', cookie: theirs.sealed }, mine.state), 'invalid_state');
    assert.equal(await code({ provider: 'github', cookie: mine.sealed }, undefined), 'invalid_state');
    assert.equal(await code({ provider: 'github', cookie: mine.sealed }, ['a', 'b']), 'invalid_state');
    assert.equal(await code({ provider: 'github', cookie: mine.sealed }, `${mine.state}x`), 'invalid_state');
    assert.equal(await code({ provider: 'google', cookie: mine.sealed }, mine.state), 'invalid_state');
    clock.now += OAUTH_STATE_TTL_MS;
    assert.equal(await code({ provider: 'github', cookie: mine.sealed }, mine.state), 'state_expired');
  });

  it('requires PKCE and a flow on the request', () => {
    const { store } = harness();
    store.store({ [OAUTH_FLOW]: { provider: 'github', cookie: null } }, undefined, undefined, {}, (err) =>
      assert.match(String(err), /PKCE/),
    );
    store.store({}, 'v', undefined, {}, (err) => assert.match(String(err), /flow/));
  });

  it('reports a failing single-use record as an error', async () => {
    const store = new OAuthStateStore({
      key: () => key,
      consume: () => Promise.reject(new Error('redis down')),
    });
    const { state, sealed } = login(store, { provider: 'github', cookie: null });
    const result = await verify(store, { provider: 'github', cookie: sealed }, state);
    assert.match(String(result.err), /redis down/);
    assert.equal(result.ok, false);
  });
});
