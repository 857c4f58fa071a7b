// Relay keys on PostgreSQL (MONORELAY_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test):
// two replicas on one database.
import type { CreatedRelayKey, RelayKeySummary, SessionView, UserView } from '@monorelay/contracts';
import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { RelayKeyCounters } from '../../apps/relay/src/auth/relay-keys/relay-key-counters';
import { testPostgresUrl } from '../../apps/relay/src/logging/store/testing/log-store-fixtures';
import { ApiSession } from '../support/api-session';
import { ACCESS_KEY, type RelayHarness, fakeProvider, startRelay } from '../support/relay-harness';

async function onAdmin(sql: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: testPostgresUrl(), extra: { max: 1 } });
  await admin.initialize();
  try {
    await admin.query(sql);
  } finally {
    await admin.destroy();
  }
}

const PASSWORD = 'postgres backed passphrase';

function chat(url: string, key: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

/** Waits until the replica's view of the key's tokens today reaches `expected` (its writes read totals back). */
async function tokensToday(relay: RelayHarness, keyId: string, expected: number): Promise<void> {
  const counters = relay.app.get(RelayKeyCounters);
  for (let i = 0; i < 500; i++) {
    if ((await counters.usage(keyId, Date.now())).tokensToday >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`tokens today did not reach ${expected}`);
}

describe('relay keys on PostgreSQL, two replicas', () => {
  const name = `monorelay_keys_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  const relays: RelayHarness[] = [];
  let upstream: FakeOpenAiUpstream;
  let ann: ApiSession;

  before(async () => {
    await onAdmin(`CREATE DATABASE "${name}"`);
    upstream = await startFakeOpenAiUpstream();
    for (let i = 0; i < 2; i++)
      relays.push(
        await startRelay(
          {
            providers: { openai: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini'] } }) },
            auth: { session_secret: 'shared-by-the-replicas' },
          },
          { env: { DATABASE_URL: url.toString() } },
        ),
      );
    const root = new ApiSession(relays[0].url);
    await root.json<SessionView>('/api/setup', 201, {
      json: { username: 'root', password: PASSWORD, accessKey: ACCESS_KEY },
    });
    await root.json<UserView>('/api/users', 201, { json: { username: 'ann', password: PASSWORD } });
    ann = new ApiSession(relays[0].url);
    await ann.login('ann', PASSWORD);
  });
  after(async () => {
    for (const relay of relays) await relay.close();
    await upstream.close();
    await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('a key made on one replica works on both, and is logged with its user and key', async () => {
    const created = await ann.json<CreatedRelayKey>('/api/keys', 201, { json: { name: 'pg' } });
    for (const relay of relays) {
      const response = await chat(relay.url, created.key);
      assert.equal(response.status, 200);
      const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
      assert.equal(entry.relayKeyId, created.id);
    }
    const revoked = await ann.json<RelayKeySummary>(`/api/keys/${created.id}`, 200, { method: 'DELETE' });
    assert.equal(revoked.status, 'revoked');
    assert.equal(
      (await chat(relays[0].url, created.key)).status,
      401,
      'at once on the replica that revoked it',
    );
  });

  it('usage adds up across replicas through the database', async () => {
    const created = await ann.json<CreatedRelayKey>('/api/keys', 201, {
      json: { name: 'shared', tokensPerDay: 1000 },
    });
    upstream.when({}, behaviours.ok({ usage: { promptTokens: 500, completionTokens: 300 } }));
    const [a, b] = relays;
    assert.equal((await chat(a.url, created.key)).status, 200);
    await tokensToday(a, created.id, 800);
    assert.equal((await chat(b.url, created.key)).status, 200, 'b has not seen a’s 800 yet');
    // b's write adds its 800 to a's and reads back 1600
    await tokensToday(b, created.id, 1600);
    const refused = await chat(b.url, created.key);
    assert.equal(refused.status, 429);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /1600 of 1000/);
    const [summary] = (await ann.json<RelayKeySummary[]>('/api/keys', 200)).filter(
      (k) => k.id === created.id,
    );
    assert.ok(summary.usage.tokensThisMonth >= 800);
  });
});
