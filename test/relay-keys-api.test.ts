import type { CreatedRelayKey, MeView, RelayKeySummary, UserView } from '@monorelay/contracts';
import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiSession, apiError, setUpAccounts } from './support/api-session';
import { ACCESS_KEY, type RelayHarness, fakeProvider, startRelay } from './support/relay-harness';

const PASSWORD = 'a perfectly fine passphrase';

function chat(url: string, key: string, model = 'gpt-4o-mini'): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('/api/keys with signed-in users', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness;
  let ann: ApiSession;
  let bob: ApiSession;
  let admin: ApiSession;
  let annKey: CreatedRelayKey;

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelay({
      providers: {
        openai: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini', 'gpt-4o'] } }),
      },
    });
    ({
      ann,
      bob,
      adam: admin,
    } = await setUpAccounts(relay.url, ACCESS_KEY, PASSWORD, { ann: 'user', bob: 'user', adam: 'admin' }));
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });

  it('a user creates a key (shown once), lists it without the secret, and it works on /v1 at once', async () => {
    annKey = await ann.json<CreatedRelayKey>('/api/keys', 201, {
      json: {
        name: ' laptop ',
        allowedModels: ['gpt-4o*'],
        requestsPerMinute: 100,
        budgetUsdPerMonth: 25,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    assert.match(annKey.key, /^mr-[A-Za-z0-9_-]{43}$/);
    assert.equal(annKey.name, 'laptop');
    assert.equal(annKey.prefix, annKey.key.slice(0, 9));
    assert.deepEqual(annKey.limits, {
      requestsPerMinute: 100,
      tokensPerDay: null,
      budgetUsdPerDay: null,
      budgetUsdPerMonth: 25,
    });
    assert.ok(annKey.expiresAt! > Date.now());

    assert.equal((await chat(relay.url, annKey.key)).status, 200);
    await relay.entry((entry) => entry.relayKeyId === annKey.id);

    const listed = await ann.json<RelayKeySummary[]>('/api/keys', 200);
    assert.equal(listed.length, 1);
    const [summary] = listed;
    assert.equal(summary.id, annKey.id);
    assert.equal(summary.status, 'active');
    assert.ok(!('key' in summary) && !('hash' in summary), 'never the key or its hash');
    assert.ok(!JSON.stringify(listed).includes(annKey.key.slice(9)));
    assert.ok(summary.usage.tokensToday > 0, 'usage so far today');
    assert.ok(summary.lastUsedAt === null || summary.lastUsedAt <= Date.now());
  });

  it('validates what it is given', async () => {
    const bad = async (body: object, pattern: RegExp) => {
      const response = await ann.call('/api/keys', { json: body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match((await apiError(response)).message, pattern);
    };
    await bad({ name: '' }, /name/);
    await bad({ name: 'x'.repeat(101) }, /name/);
    await bad({ name: 'k', expiresAt: Date.now() - 1000 }, /expiresAt must be a time in the future/);
    await bad({ name: 'k', expiresAt: 'next tuesday' }, /expiresAt/);
    await bad({ name: 'k', allowedModels: [] }, /allowedModels/);
    await bad({ name: 'k', allowedModels: ['gpt-*', ''] }, /allowedModels/);
    await bad({ name: 'k', requestsPerMinute: 0 }, /requestsPerMinute/);
    await bad({ name: 'k', tokensPerDay: 1.5 }, /tokensPerDay/);
    await bad({ name: 'k', budgetUsdPerDay: -1 }, /budgetUsdPerDay/);
    await bad({ name: 'k', hash: 'abc' }, /hash/);
  });

  it('a user changes their key (null clears a limit); the change applies on /v1 at once', async () => {
    const changed = await ann.json<RelayKeySummary>(`/api/keys/${annKey.id}`, 200, {
      method: 'PATCH',
      json: { name: 'desk', allowedModels: ['gpt-4o'], budgetUsdPerMonth: null },
    });
    assert.equal(changed.name, 'desk');
    assert.deepEqual(changed.allowedModels, ['gpt-4o']);
    assert.equal(changed.limits.budgetUsdPerMonth, null);
    assert.equal(changed.limits.requestsPerMinute, 100, 'unchanged');
    assert.equal((await chat(relay.url, annKey.key, 'gpt-4o-mini')).status, 403);
    assert.equal((await chat(relay.url, annKey.key, 'gpt-4o')).status, 200);
  });

  it('users see and touch only their own keys (404 for anyone else’s); the admin list is for admins', async () => {
    assert.deepEqual(await bob.json<RelayKeySummary[]>('/api/keys', 200), []);
    const patch = await bob.call(`/api/keys/${annKey.id}`, { method: 'PATCH', json: { name: 'mine now' } });
    assert.equal(patch.status, 404);
    assert.equal((await apiError(patch)).code, 'key_not_found');
    assert.equal((await bob.call(`/api/keys/${annKey.id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await bob.call('/api/keys/all')).status, 403);
    assert.equal((await chat(relay.url, annKey.key, 'gpt-4o')).status, 200, 'still working');

    const bobKey = await bob.json<CreatedRelayKey>('/api/keys', 201, { json: { name: 'bob’s' } });
    const all = await admin.json<RelayKeySummary[]>('/api/keys/all', 200);
    assert.deepEqual(
      all.map((key) => [key.id, key.owner?.username]).sort(),
      [
        [annKey.id, 'ann'],
        [bobKey.id, 'bob'],
      ].sort(),
    );
    assert.deepEqual(
      await admin.json<RelayKeySummary[]>('/api/keys', 200),
      [],
      'an admin’s own list is their own',
    );
  });

  it('without a sign-in: 401', async () => {
    const anonymous = new ApiSession(relay.url);
    assert.equal((await anonymous.call('/api/keys')).status, 401);
    assert.equal((await anonymous.call('/api/keys', { json: { name: 'x' } })).status, 401);
    // a relay key is not an /api credential
    const withKey = await fetch(`${relay.url}/api/keys`, {
      headers: { authorization: `Bearer ${annKey.key}` },
    });
    assert.equal(withKey.status, 401);
  });

  it('an admin revokes anyone’s key; it stops at once and cannot be changed any more', async () => {
    const revoked = await admin.json<RelayKeySummary>(`/api/keys/${annKey.id}`, 200, { method: 'DELETE' });
    assert.equal(revoked.status, 'revoked');
    assert.ok(revoked.revokedAt! <= Date.now());
    const refused = await chat(relay.url, annKey.key, 'gpt-4o');
    assert.equal(refused.status, 401);
    assert.equal(
      ((await refused.json()) as { error: { message: string } }).error.message,
      'This relay key was revoked.',
    );
    const again = await ann.json<RelayKeySummary>(`/api/keys/${annKey.id}`, 200, { method: 'DELETE' });
    assert.equal(again.revokedAt, revoked.revokedAt, 'revoking twice changes nothing');
    const change = await ann.call(`/api/keys/${annKey.id}`, { method: 'PATCH', json: { name: 'back' } });
    assert.equal(change.status, 409);
    assert.equal((await ann.json<RelayKeySummary[]>('/api/keys', 200))[0].status, 'revoked');
  });

  it('an admin disables a user: their keys stop at once (no cache delay); re-enabled, they work again', async () => {
    await admin.json<UserView>('/api/users', 201, {
      json: { username: 'cy', password: PASSWORD, role: 'user' },
    });
    const cy = new ApiSession(relay.url);
    await cy.login('cy', PASSWORD);
    const own = await cy.json<CreatedRelayKey>('/api/keys', 201, { json: { name: 'cached' } });
    assert.equal((await chat(relay.url, own.key)).status, 200, 'the key is now cached');
    const cyId = (await cy.json<MeView>('/api/auth/me', 200)).id!;
    await admin.json<UserView>(`/api/users/${cyId}`, 200, { method: 'PATCH', json: { disabled: true } });
    const refused = await chat(relay.url, own.key);
    assert.equal(refused.status, 401);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /disabled/);
    await admin.json<UserView>(`/api/users/${cyId}`, 200, { method: 'PATCH', json: { disabled: false } });
    assert.equal((await chat(relay.url, own.key)).status, 200);
  });

  it('a user revokes their own key', async () => {
    const own = await bob.json<CreatedRelayKey>('/api/keys', 201, { json: { name: 'short-lived' } });
    assert.equal((await chat(relay.url, own.key)).status, 200);
    await bob.json<RelayKeySummary>(`/api/keys/${own.id}`, 200, { method: 'DELETE' });
    assert.equal((await chat(relay.url, own.key)).status, 401);
  });
});
