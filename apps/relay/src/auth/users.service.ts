import { Injectable, Optional } from '@nestjs/common';
import type { UserView } from '@monorelay/contracts';
import { type EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApiError, badRequest, conflict, notFound } from './api-error';
import { AppDataService, isUniqueViolation } from './app-data.service';
import { UserEntity, UserIdentityEntity } from './entities';
import { PasswordService } from './password.service';
import { usernameProblem } from './password-rules';
import { RelayKeyLookup } from './relay-keys/relay-key-lookup.service';
import type { Role } from './roles';
import { SessionsService } from './sessions.service';
import {
  type Actor,
  type RuleBreach,
  passwordResetBreach,
  type UserChange,
  userChangeBreach,
} from './user-rules';

export interface NewLocalUser {
  username: string;
  password: string;
  role: Role;
  email?: string | null;
  displayName?: string;
}

/** An account made by SSO (no password): see {@link UsersService.createUser}. */
export interface NewUser {
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  passwordHash: null;
}

/** Users: local accounts, roles, enabling and disabling, passwords. */
@Injectable()
export class UsersService {
  constructor(
    private readonly data: AppDataService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    /** Absent in the account CLI, which serves no relay keys. */
    @Optional() private readonly relayKeys?: RelayKeyLookup,
  ) {}

  async count(): Promise<number> {
    return this.data.users.count();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.data.users.findOneBy({ id });
  }

  /** Case-insensitive. */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.data.users.findOneBy({ usernameKey: usernameKeyOf(username) });
  }

  async list(): Promise<UserView[]> {
    const users = await this.data.users.find({ order: { createdAt: 'ASC' } });
    return this.views(users);
  }

  async view(user: UserEntity): Promise<UserView> {
    return (await this.views([user]))[0];
  }

  async views(users: UserEntity[]): Promise<UserView[]> {
    const identities =
      users.length === 0
        ? []
        : await this.data.identities.find({
            where: { userId: In(users.map((u) => u.id)) },
            order: { createdAt: 'ASC' },
          });
    return users.map((user) => toUserView(user, identities));
  }

  /** A local account with a password (user name and password rules checked); 409 when the name is taken. */
  async createLocalUser(input: NewLocalUser): Promise<UserEntity> {
    const user = await this.prepareLocalUser(input);
    return this.data.write((manager) => this.insertUser(manager, user));
  }

  /** Checks the rules and hashes the password (before any transaction: hashing takes a while). */
  async prepareLocalUser(input: NewLocalUser): Promise<UserEntity> {
    const problem = usernameProblem(input.username);
    if (problem) throw badRequest(problem, 'invalid_username');
    this.passwords.assertAcceptable(input.password, input.username);
    return newUserEntity({
      username: input.username,
      displayName: input.displayName?.trim() || input.username,
      email: normalizeEmail(input.email),
      role: input.role,
      passwordHash: await this.passwords.hash(input.password),
    });
  }

  /** Inserts a prepared user inside a `write`; 409 when the user name is taken. */
  async insertUser(manager: EntityManager, user: UserEntity): Promise<UserEntity> {
    try {
      await manager.insert(UserEntity, user);
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(`The user name ${user.username} is taken.`, 'username_taken');
      throw error;
    }
    return user;
  }

  /**
   * An account without a password (SSO sign-in). The user name is made valid and unique: `octocat`,
   * then `octocat-2`, `octocat-3`... when taken.
   */
  async createUser(input: NewUser, manager?: EntityManager): Promise<UserEntity> {
    const base = sanitizeUsername(input.username);
    const create = async (m: EntityManager) => {
      for (let n = 1; ; n++) {
        const suffix = n === 1 ? '' : `-${n}`;
        const username = base.slice(0, 64 - suffix.length) + suffix;
        const taken = await m.findOneBy(UserEntity, { usernameKey: usernameKeyOf(username) });
        if (taken) continue;
        const user = newUserEntity({ ...input, username, email: normalizeEmail(input.email) });
        await m.insert(UserEntity, user);
        return user;
      }
    };
    return manager ? create(manager) : this.data.write(create);
  }

  /**
   * The first account (setup), as superadmin: only while no account exists. Two setups at once: one
   * wins, the other gets 409.
   */
  async createFirstSuperadmin(input: Omit<NewLocalUser, 'role'>): Promise<UserEntity> {
    // Checked before hashing too, so a finished setup answers at once.
    if ((await this.count()) > 0) throw setupDone();
    const user = await this.prepareLocalUser({ ...input, role: 'superadmin' });
    return this.data.write(async (manager) => {
      await this.data.lockUsers(manager);
      if ((await manager.count(UserEntity)) > 0) throw setupDone();
      return this.insertUser(manager, user);
    });
  }

  /**
   * CLI `--create-admin`: a superadmin, only when no enabled superadmin exists (a fresh install, or
   * one whose accounts came from SSO before setup).
   */
  async createSuperadminIfNone(input: Omit<NewLocalUser, 'role'>): Promise<UserEntity> {
    const user = await this.prepareLocalUser({ ...input, role: 'superadmin' });
    return this.data.write(async (manager) => {
      await this.data.lockUsers(manager);
      const existing = await manager.findOne(UserEntity, {
        where: { role: 'superadmin', disabled: false },
        order: { createdAt: 'ASC' },
      });
      if (existing)
        throw conflict(
          `A superadmin already exists (${existing.username}). To set a password, use --reset-password USERNAME.`,
          'superadmin_exists',
        );
      return this.insertUser(manager, user);
    });
  }

  /** Role, enabled, e-mail and display name, by an admin, under the rules of `user-rules.ts`. */
  async update(actor: Actor, id: string, change: UserChange): Promise<UserView> {
    const updated = await this.data.write(async (manager) => {
      await this.data.lockUsers(manager);
      const target = await manager.findOneBy(UserEntity, { id });
      if (!target) throw notFound(`No user ${id}.`, 'user_not_found');
      const superadmins = await manager.countBy(UserEntity, { role: 'superadmin', disabled: false });
      throwBreach(userChangeBreach(actor, target, change, superadmins));
      const patch: Partial<UserEntity> = {};
      if (change.role !== undefined) patch.role = change.role;
      if (change.disabled !== undefined) patch.disabled = change.disabled;
      if (change.email !== undefined) patch.email = normalizeEmail(change.email);
      if (change.displayName !== undefined) patch.displayName = change.displayName.trim() || target.username;
      if (Object.keys(patch).length > 0) await manager.update(UserEntity, { id }, patch);
      if (change.disabled === true && !target.disabled) await this.sessions.revokeAllOf(manager, id);
      return Object.assign(target, patch);
    });
    this.sessions.forgetUser(id);
    this.relayKeys?.userChanged(id);
    return this.view(updated);
  }

  /** An admin sets someone's password: every session of theirs ends. */
  async resetPassword(actor: Actor, id: string, password: string): Promise<void> {
    const target = await this.findById(id);
    if (!target) throw notFound(`No user ${id}.`, 'user_not_found');
    throwBreach(passwordResetBreach(actor, target));
    await this.setPassword(target, password);
  }

  /**
   * Sets a password (rules checked) and signs the user out everywhere: `sessionsValidAfter` moves to
   * now and every session is revoked.
   */
  async setPassword(user: UserEntity, password: string): Promise<void> {
    this.passwords.assertAcceptable(password, user.username);
    const passwordHash = await this.passwords.hash(password);
    const now = Date.now();
    await this.data.write(async (manager) => {
      await manager.update(UserEntity, { id: user.id }, { passwordHash, sessionsValidAfter: now });
      await this.sessions.revokeAllOf(manager, user.id, now);
    });
    user.passwordHash = passwordHash;
    user.sessionsValidAfter = now;
    this.sessions.forgetUser(user.id);
  }
}

export function usernameKeyOf(username: string): string {
  return username.trim().toLowerCase();
}

export function toUserView(user: UserEntity, identities: readonly UserIdentityEntity[]): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    role: user.role,
    disabled: user.disabled,
    hasPassword: user.passwordHash !== null,
    identities: identities
      .filter((identity) => identity.userId === user.id)
      .map((identity) => ({ provider: identity.provider, username: identity.username })),
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  };
}

function newUserEntity(fields: {
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  passwordHash: string | null;
}): UserEntity {
  const user = new UserEntity();
  user.id = uuidv7();
  user.username = fields.username;
  user.usernameKey = usernameKeyOf(fields.username);
  user.displayName = fields.displayName;
  user.email = fields.email;
  user.role = fields.role;
  user.disabled = false;
  user.passwordHash = fields.passwordHash;
  user.sessionsValidAfter = 0;
  user.createdAt = Date.now();
  user.lastLoginAt = null;
  return user;
}

/** A provider's login name made into a valid user name (`usernameProblem` accepts it). */
export function sanitizeUsername(name: string): string {
  let clean = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  if (clean.length < 2) clean = `user${clean}`.slice(0, 64);
  return clean;
}

function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim();
  return trimmed ? trimmed : null;
}

function throwBreach(breach: RuleBreach | null): void {
  if (breach) throw new ApiError(breach.status, breach.message, breach.code);
}

function setupDone(): ApiError {
  return conflict('Setup is already done: sign in instead.', 'setup_done');
}
