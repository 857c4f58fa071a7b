// Accounts and sessions on PostgreSQL (MONORELAY_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatedInvite, SessionView, UserView } from '@monorelay/contracts';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '../../apps/relay/src/logging/store/testing/log-store-fixtures';
import { REFRESH_REUSE_GRACE_MS } from '../../apps/relay/src/auth/sessions.service';
import { UsersService } from '../../apps/relay/src/auth/users.service';
import { ApiSession, apiError } from '../support/api-session';
import { ACCESS_KEY, type RelayHarness, startRelay } from '../support/relay-harness';

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

describe('accounts and sessions on PostgreSQL', () => {
  const name = `monorelay_auth_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  const relays: RelayHarness[] = [];

  before(async () => {
    await onAdmin(`CREATE DATABASE "${name}"`);
    // two replicas on one database
    for (let i = 0; i < 2; i++)
      relays.push(
        await startRelay(
          { auth: { session_secret: 'shared-by-the-replicas' } },
          { env: { DATABASE_URL: url.toString() } },
        ),
      );
  });
  after(async () => {
    for (const relay of relays) await relay.close();
    await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('one of two simultaneous setups on two replicas wins', async () => {
    const answers = await Promise.all(
      relays.map((relay, i) =>
        new ApiSession(relay.url).call('/api/setup', {
          json: { username: `first${i}`, password: PASSWORD, accessKey: ACCESS_KEY },
        }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
  });

  it('signs in on one replica and is known on the other; refresh reuse revokes everywhere', async () => {
    const [a, b] = relays;
    const users = await listUsers(a);
    const root = users.find((u) => u.role === 'superadmin')!;
    const session = new ApiSession(a.url);
    await session.login(root.username, PASSWORD);
    const onB = new ApiSession(b.url);
    onB.access = session.access;
    await onB.json('/api/auth/me', 200);
    const old = session.refresh;
    await session.json('/api/auth/refresh', 200, { method: 'POST' });
    await new Promise((resolve) => setTimeout(resolve, REFRESH_REUSE_GRACE_MS + 100));
    const thief = new ApiSession(b.url);
    thief.refresh = old;
    const stolen = await thief.call('/api/auth/refresh', { method: 'POST' });
    assert.equal(stolen.status, 401);
    assert.equal((await apiError(stolen)).code, 'refresh_token_reused');
    assert.equal((await session.call('/api/auth/me')).status, 401);
  });

  it('invites, sign-up, self-demotion and disabling', async () => {
    const [a, b] = relays;
    const root = (await listUsers(a)).find((u) => u.role === 'superadmin')!;
    const admin = new ApiSession(a.url);
    await admin.login(root.username, PASSWORD);
    const invite = await admin.json<CreatedInvite>('/api/users/invites', 201, { json: { role: 'admin' } });
    const joined = await new ApiSession(b.url).json<SessionView>('/api/auth/signup', 201, {
      json: { username: 'joiner', password: PASSWORD, invite: invite.token },
    });
    assert.equal(joined.user.role, 'admin');
    const again = await new ApiSession(a.url).call('/api/auth/signup', {
      json: { username: 'joiner2', password: PASSWORD, invite: invite.token },
    });
    assert.equal(again.status, 403);
    const taken = await new ApiSession(a.url).call('/api/auth/signup', {
      json: { username: 'JOINER', password: PASSWORD, invite: (await newInvite(admin)).token },
    });
    assert.equal(taken.status, 409);
    const selfDemote = await admin.call(`/api/users/${root.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
    });
    assert.equal(selfDemote.status, 403);
    await admin.json(`/api/users/${joined.user.id}`, 200, { method: 'PATCH', json: { disabled: true } });
    const disabled = await new ApiSession(b.url).call('/api/auth/login', {
      json: { username: 'joiner', password: PASSWORD },
    });
    assert.equal(disabled.status, 403);
  });
});

function newInvite(session: ApiSession): Promise<CreatedInvite> {
  return session.json<CreatedInvite>('/api/users/invites', 201, { json: {} });
}

/** Every user, straight from the service. */
function listUsers(relay: RelayHarness): Promise<UserView[]> {
  return relay.app.get(UsersService).list();
}
