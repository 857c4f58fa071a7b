import { Logger } from '@nestjs/common';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import type { ConfigService } from '../../config/config.service';
import { defaultRelayConfig } from '../../config/config-defaults';
import type { RelayConfig } from '../../config/relay-config';
import { ManagedDataSource } from '../../database/managed-data-source';
import { APP_DATA_SCHEMA } from '../app-data.schema';
import { AppDataService } from '../app-data.service';
import { UserEntity, UserIdentityEntity, UserInviteEntity } from '../entities';
import { InvitesService } from '../invites.service';
import type { PasswordService } from '../password.service';
import type { Role } from '../roles';
import { newOpaqueToken, tokenHash } from '../session-tokens';
import type { SessionsService } from '../sessions.service';
import { UsersService } from '../users.service';
import type { RelayKeyLookup } from '../relay-keys/relay-key-lookup.service';
import type { SsoProfile } from './sso-profile';
import { SsoSignInService } from './sso-sign-in.service';

const quiet = { log() {}, warn() {}, error() {} };

const github = (login: string, id: number, extra: Partial<SsoProfile> = {}): SsoProfile => ({
  provider: 'github',
  subject: String(id),
  username: login,
  displayName: login,
  emails: [{ address: `${login}@example.com`, verified: true }],
  ...extra,
});

const none = { invite: null, link: null };

describe('SsoSignInService (real SQLite app-data store)', () => {
  let dir: string;
  let database: ManagedDataSource;
  let data: AppDataService;
  let config: RelayConfig;
  let service: SsoSignInService;
  const forgotten: string[] = [];

  function configure(change: (config: RelayConfig) => void = () => {}): void {
    config = defaultRelayConfig();
    change(config);
  }

  async function addUser(username: string, role: Role, extra: Partial<UserEntity> = {}): Promise<UserEntity> {
    const user = Object.assign(new UserEntity(), {
      id: uuidv7(),
      username,
      usernameKey: username.toLowerCase(),
      displayName: username,
      email: null,
      role,
      disabled: false,
      passwordHash: null,
      sessionsValidAfter: 0,
      createdAt: Date.now(),
      lastLoginAt: null,
      ...extra,
    });
    await data.users.insert(user);
    return user;
  }

  async function addInvite(role: Role, email: string | null = null, extra: Partial<UserInviteEntity> = {}) {
    const token = newOpaqueToken();
    await data.invites.insert(
      Object.assign(new UserInviteEntity(), {
        id: uuidv7(),
        tokenHash: tokenHash(token),
        role,
        email,
        createdBy: 'test',
        createdAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
        usedAt: null,
        usedBy: null,
        ...extra,
      }),
    );
    return token;
  }

  before(async () => {
    Logger.overrideLogger(false);
    dir = mkdtempSync(join(tmpdir(), 'monorelay-sso-'));
    database = new ManagedDataSource(
      APP_DATA_SCHEMA,
      { dialect: 'sqlite', path: join(dir, 'users.db') },
      quiet,
    );
    await database.open();
    data = new AppDataService(database);
    const configService = {
      get current() {
        return config;
      },
    } as unknown as ConfigService;
    const sessions = { forgetUser: (id: string) => forgotten.push(id) } as unknown as SessionsService;
    const relayKeys = { userChanged: () => undefined } as unknown as RelayKeyLookup;
    const users = new UsersService(data, {} as PasswordService, sessions, relayKeys);
    service = new SsoSignInService(
      configService,
      data,
      users,
      new InvitesService(configService, data),
      sessions,
    );
  });

  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    configure();
    for (const entity of [UserIdentityEntity, UserInviteEntity, UserEntity])
      await data.dataSource.getRepository(entity).clear();
    forgotten.length = 0;
  });

  it('makes no account before setup, even for admin_usernames', async () => {
    configure((c) => (c.sso.admin_usernames = ['octocat']));
    assert.deepEqual(await service.signIn(github('octocat', 1), none), { ok: false, code: 'setup_required' });
    assert.equal(await data.users.count(), 0);
  });

  it('creates, then signs in by (provider, subject) even after the login or e-mail changed', async () => {
    await addUser('root', 'superadmin');
    configure((c) => (c.auth.open_signup = true));
    const created = await service.signIn(github('octocat', 1), none);
    assert.ok(created.ok && created.outcome === 'created');
    assert.equal(created.user.role, 'user');
    assert.equal(created.user.email, 'octocat@example.com');
    assert.equal(created.user.passwordHash, null);

    configure();
    const renamed = github('octo-renamed', 1, { emails: [{ address: 'new@example.com', verified: true }] });
    const again = await service.signIn(renamed, none);
    assert.ok(again.ok && again.outcome === 'signed_in');
    assert.equal(again.user.id, created.user.id);
    const identity = await data.identities.findOneByOrFail({ provider: 'github', subject: '1' });
    assert.equal(identity.username, 'octo-renamed');
    assert.equal(identity.email, 'new@example.com');
    assert.ok(identity.lastLoginAt);
  });

  it('never links by e-mail: same address as a local account -> a separate account, or refused', async () => {
    const root = await addUser('root', 'superadmin', { email: 'root@example.com' });
    const mallory = github('mallory', 9, { emails: [{ address: 'root@example.com', verified: true }] });
    assert.deepEqual(await service.signIn(mallory, none), { ok: false, code: 'signup_closed' });
    configure((c) => (c.auth.open_signup = true));
    const result = await service.signIn(mallory, none);
    assert.ok(result.ok);
    assert.notEqual(result.user.id, root.id);
    assert.equal(await data.identities.countBy({ userId: root.id }), 0);
  });

  it('suffixes a taken user name', async () => {
    await addUser('octocat', 'superadmin');
    configure((c) => (c.auth.open_signup = true));
    const result = await service.signIn(github('OctoCat', 1), none);
    assert.ok(result.ok);
    assert.equal(result.user.username, 'OctoCat-2');
  });

  it('refuses a disabled account', async () => {
    await addUser('root', 'superadmin');
    configure((c) => (c.auth.open_signup = true));
    const created = await service.signIn(github('octocat', 1), none);
    assert.ok(created.ok);
    await data.users.update({ id: created.user.id }, { disabled: true });
    assert.deepEqual(await service.signIn(github('octocat', 1), none), {
      ok: false,
      code: 'account_disabled',
    });
  });

  it('admin_usernames: new admin; promotes users (cache dropped); never demotes; leaves superadmins alone', async () => {
    const root = await addUser('root', 'superadmin');
    configure((c) => (c.sso.admin_usernames = ['boss', 'rootgh']));
    const boss = await service.signIn(github('boss', 2), none);
    assert.ok(boss.ok && boss.user.role === 'admin');

    configure((c) => (c.auth.open_signup = true));
    const user = await service.signIn(github('octocat', 1), none);
    assert.ok(user.ok && user.user.role === 'user');
    configure((c) => (c.sso.admin_usernames = ['octocat']));
    const promoted = await service.signIn(github('octocat', 1), none);
    assert.ok(promoted.ok && promoted.user.role === 'admin');
    assert.deepEqual(forgotten, [user.user.id]);
    assert.equal((await data.users.findOneByOrFail({ id: user.user.id })).role, 'admin');
    configure();
    const kept = await service.signIn(github('octocat', 1), none);
    assert.ok(kept.ok && kept.user.role === 'admin');

    configure((c) => (c.sso.admin_usernames = ['rootgh']));
    assert.ok((await service.signIn(github('rootgh', 5), { invite: null, link: root.id })).ok);
    const rootAgain = await service.signIn(github('rootgh', 5), none);
    assert.ok(rootAgain.ok && rootAgain.user.id === root.id && rootAgain.user.role === 'superadmin');
  });

  it('invites: the invite role, used up in the same transaction; used, expired or other-e-mail invites refused', async () => {
    await addUser('root', 'superadmin');
    const token = await addInvite('admin');
    const result = await service.signIn(github('invitee', 3), { invite: token, link: null });
    assert.ok(result.ok && result.user.role === 'admin');
    const invite = await data.invites.findOneByOrFail({ tokenHash: tokenHash(token) });
    assert.equal(invite.usedBy, result.user.id);
    assert.deepEqual(await service.signIn(github('second', 4), { invite: token, link: null }), {
      ok: false,
      code: 'invite_invalid',
    });

    const expired = await addInvite('user', null, { expiresAt: Date.now() - 1 });
    assert.deepEqual(await service.signIn(github('late', 6), { invite: expired, link: null }), {
      ok: false,
      code: 'invite_invalid',
    });

    const forCarol = await addInvite('user', 'Carol@Example.com');
    const unverified = github('carol', 7, { emails: [{ address: 'carol@example.com', verified: false }] });
    assert.deepEqual(await service.signIn(unverified, { invite: forCarol, link: null }), {
      ok: false,
      code: 'invite_invalid',
    });
    const carol = github('carol', 7, {
      emails: [
        { address: 'other@example.com', verified: true },
        { address: 'carol@example.com', verified: true },
      ],
    });
    const ok = await service.signIn(carol, { invite: forCarol, link: null });
    assert.ok(ok.ok && ok.user.email === 'carol@example.com');
  });

  it('an admin_usernames sign-up leaves the invite unused', async () => {
    await addUser('root', 'superadmin');
    configure((c) => (c.sso.admin_usernames = ['boss']));
    const token = await addInvite('user');
    const result = await service.signIn(github('boss', 2), { invite: token, link: null });
    assert.ok(result.ok && result.user.role === 'admin');
    assert.equal((await data.invites.findOneByOrFail({ tokenHash: tokenHash(token) })).usedAt, null);
  });

  it('links to the signed-in user; refuses an identity of someone else and a disabled linker', async () => {
    const alice = await addUser('alice', 'user');
    const bob = await addUser('bob', 'user');
    const linked = await service.signIn(github('alicegh', 11), { invite: null, link: alice.id });
    assert.ok(linked.ok && linked.outcome === 'linked' && linked.user.id === alice.id);
    // Linking again to the same user is fine.
    assert.ok((await service.signIn(github('alicegh', 11), { invite: null, link: alice.id })).ok);
    assert.deepEqual(await service.signIn(github('alicegh', 11), { invite: null, link: bob.id }), {
      ok: false,
      code: 'identity_in_use',
    });
    assert.equal((await data.identities.findOneByOrFail({ subject: '11' })).userId, alice.id);
    await data.users.update({ id: bob.id }, { disabled: true });
    assert.deepEqual(await service.signIn(github('bobgh', 12), { invite: null, link: bob.id }), {
      ok: false,
      code: 'account_disabled',
    });
  });

  it('restrictions apply to linking and existing accounts too', async () => {
    const alice = await addUser('alice', 'user');
    configure((c) => (c.sso.allowed_github_orgs = ['acme']));
    assert.deepEqual(
      await service.signIn(github('alicegh', 11, { orgs: [] }), { invite: null, link: alice.id }),
      {
        ok: false,
        code: 'org_required',
      },
    );
    const member = await service.signIn(github('alicegh', 11, { orgs: ['acme'] }), {
      invite: null,
      link: alice.id,
    });
    assert.ok(member.ok);
    assert.deepEqual(await service.signIn(github('alicegh', 11, { orgs: ['gone'] }), none), {
      ok: false,
      code: 'org_required',
    });
  });
});
