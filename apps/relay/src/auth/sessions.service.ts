import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ConfigService } from '../config/config.service';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../runtime-options';
import { unauthorized } from './api-error';
import { AppDataService } from './app-data.service';
import { UserEntity, UserSessionEntity } from './entities';
import type { Principal } from './principal';
import { resolveSessionSecret } from './session-secret';
import { AccessTokenSigner, newRefreshToken, sessionIdOfRefreshToken, tokenHash } from './session-tokens';

/** How long a session and its user, once read, answer access-token checks without a query. */
export const SESSION_CACHE_MS = 5000;
/**
 * A refresh token rotated this recently may come back once more without counting as theft: two
 * requests (tabs) that sent the same cookie at the same time. They get the same new token.
 */
export const REFRESH_REUSE_GRACE_MS = 2000;
const MAX_CACHED = 10_000;

export interface ClientInfo {
  userAgent: string;
  ip: string;
}

/** A signed-in session's tokens, to set as cookies and return. */
export interface IssuedSession {
  user: UserEntity;
  sessionId: string;
  accessToken: string;
  /** Seconds. */
  accessTtl: number;
  refreshToken: string;
  /** Seconds. */
  refreshTtl: number;
}

export type SessionCheck = { ok: true; principal: Principal } | { ok: false; code: string; message: string };

interface Cached {
  session: UserSessionEntity;
  user: UserEntity | null;
  until: number;
}

type RefreshOutcome =
  { ok: true; user: UserEntity; token: string } | { ok: false; code: string; message: string };

const SESSION_ENDED: RefreshOutcome = {
  ok: false,
  code: 'session_ended',
  message: 'Your session has ended: sign in again.',
};

interface Rotation {
  previousHash: string;
  token: string;
  at: number;
}

/**
 * Console sessions: a row per sign-in (`user_sessions`) holding the hash of the current refresh
 * token; short-lived access tokens (JWT) name the session, and every `/api` request checks that the
 * session is still live, the user enabled, and the session not older than the user's
 * `sessionsValidAfter` (bumped by password changes). Those reads are cached for
 * {@link SESSION_CACHE_MS}; a logout or a change made through this replica drops the cache entry at
 * once (other replicas see it within the cache time).
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  private readonly cache = new Map<string, Cached>();
  private readonly rotations = new Map<string, Rotation>();
  private secret: { configured: string; value: string } | null = null;
  readonly signer = new AccessTokenSigner(() => this.sessionSecret());

  constructor(
    private readonly config: ConfigService,
    private readonly data: AppDataService,
    @Inject(RUNTIME_OPTIONS) private readonly runtime: RuntimeOptions,
  ) {}

  /** Opens a session for `user` (sign-in, sign-up, setup, password change). */
  async open(user: UserEntity, client: ClientInfo, now = Date.now()): Promise<IssuedSession> {
    const { refresh_token_ttl_days } = this.config.current.auth;
    const session = new UserSessionEntity();
    session.id = uuidv7();
    session.userId = user.id;
    const refreshToken = newRefreshToken(session.id);
    session.refreshHash = tokenHash(refreshToken);
    session.createdAt = now;
    session.expiresAt = now + refresh_token_ttl_days * 86_400_000;
    session.lastUsedAt = now;
    session.revokedAt = null;
    session.userAgent = client.userAgent.slice(0, 500);
    session.ip = client.ip;
    await this.data.write(async (manager) => {
      await manager.insert(UserSessionEntity, session);
      await manager.update(UserEntity, { id: user.id }, { lastLoginAt: now });
    });
    user.lastLoginAt = now;
    return this.issue(user, session.id, refreshToken);
  }

  /**
   * Rotates a refresh token: the presented one stops working and a new one (and a new access
   * token) is issued. A token that was already rotated coming back means a copy exists elsewhere:
   * the whole session is revoked.
   */
  async refresh(refreshToken: string): Promise<IssuedSession> {
    const sessionId = sessionIdOfRefreshToken(refreshToken);
    if (!sessionId)
      throw unauthorized('The refresh token is not valid: sign in again.', 'invalid_refresh_token');
    const presented = tokenHash(refreshToken);
    const now = Date.now();
    const { refresh_token_ttl_days } = this.config.current.auth;
    // Refusals are returned, not thrown, so that a revocation made on the way is committed.
    const outcome = await this.data.write(async (manager): Promise<RefreshOutcome> => {
      const session = await manager.findOneBy(UserSessionEntity, { id: sessionId });
      if (!session || session.revokedAt !== null || session.expiresAt <= now) return SESSION_ENDED;
      const user = await manager.findOneBy(UserEntity, { id: session.userId });
      if (!user || user.disabled || session.createdAt < user.sessionsValidAfter) {
        await this.revokeWith(manager, sessionId, now);
        return SESSION_ENDED;
      }
      if (session.refreshHash !== presented) {
        const rotation = this.rotations.get(sessionId);
        if (
          rotation &&
          rotation.previousHash === presented &&
          now - rotation.at <= REFRESH_REUSE_GRACE_MS &&
          tokenHash(rotation.token) === session.refreshHash
        )
          return { ok: true, user, token: rotation.token };
        await this.revokeWith(manager, sessionId, now);
        this.logger.warn(
          `refresh token reused for session ${sessionId} of ${user.username}: session revoked`,
        );
        return {
          ok: false,
          code: 'refresh_token_reused',
          message:
            'This refresh token was already used, so the session was revoked to be safe: sign in again.',
        };
      }
      const next = newRefreshToken(sessionId);
      const result = await manager.update(
        UserSessionEntity,
        { id: sessionId, refreshHash: presented, revokedAt: IsNull() },
        {
          refreshHash: tokenHash(next),
          lastUsedAt: now,
          expiresAt: now + refresh_token_ttl_days * 86_400_000,
        },
      );
      // Another replica rotated it between our read and write: that one wins, this one may retry.
      if (result.affected !== 1)
        return {
          ok: false,
          code: 'refresh_race',
          message: 'The refresh token was just used by another request.',
        };
      this.rememberRotation(sessionId, presented, next, now);
      return { ok: true, user, token: next };
    });
    if (!outcome.ok) throw unauthorized(outcome.message, outcome.code);
    return this.issue(outcome.user, sessionId, outcome.token);
  }

  /** Checks an access token (cookie or Bearer) against its session and user. */
  async authenticate(accessToken: string, now = Date.now()): Promise<SessionCheck> {
    const claims = this.signer.verify(accessToken);
    if (!claims) {
      return this.signer.verify(accessToken, { ignoreExpiration: true })
        ? {
            ok: false,
            code: 'token_expired',
            message: 'The access token has expired: refresh it or sign in again.',
          }
        : { ok: false, code: 'invalid_token', message: 'The access token is not valid: sign in again.' };
    }
    const found = await this.lookup(claims.sid, now);
    const ended = {
      ok: false,
      code: 'session_ended',
      message: 'Your session has ended: sign in again.',
    } as const;
    if (!found || found.session.userId !== claims.sub) return ended;
    const { session, user } = found;
    if (session.revokedAt !== null || session.expiresAt <= now) return ended;
    if (!user) return ended;
    if (user.disabled) return { ok: false, code: 'account_disabled', message: 'This account is disabled.' };
    if (session.createdAt < user.sessionsValidAfter) return ended;
    return {
      ok: true,
      principal: {
        kind: 'session',
        id: `user:${user.id}`,
        name: user.username,
        userId: user.id,
        role: user.role,
        sessionId: session.id,
      },
    };
  }

  /**
   * Ends the session named by an access token (even expired: its signature still proves it) or a
   * refresh token (it must be the current one). Quietly does nothing when neither names a session.
   */
  async logout(accessToken: string | null, refreshToken: string | null): Promise<void> {
    let sessionId: string | null = null;
    if (accessToken) sessionId = this.signer.verify(accessToken, { ignoreExpiration: true })?.sid ?? null;
    if (!sessionId && refreshToken) {
      const named = sessionIdOfRefreshToken(refreshToken);
      if (named) {
        const session = await this.data.sessions.findOneBy({ id: named });
        if (session && session.refreshHash === tokenHash(refreshToken)) sessionId = named;
      }
    }
    if (!sessionId) return;
    const id = sessionId;
    await this.data.write((manager) => this.revokeWith(manager, id, Date.now()));
  }

  /** Revokes every live session of a user (inside the caller's `write`). */
  async revokeAllOf(manager: EntityManager, userId: string, now = Date.now()): Promise<void> {
    await manager.update(UserSessionEntity, { userId, revokedAt: IsNull() }, { revokedAt: now });
    this.forgetUser(userId);
  }

  /** Drops cached reads of this user's sessions, so a change to the user applies at once. */
  forgetUser(userId: string): void {
    for (const [sessionId, cached] of this.cache)
      if (cached.session.userId === userId) this.cache.delete(sessionId);
  }

  /** The session secret in force: `auth.session_secret`, else `<dataDir>/session_secret`. */
  private sessionSecret(): string {
    const configured = this.config.current.auth.session_secret;
    if (this.secret?.configured !== configured) {
      const resolved = resolveSessionSecret(configured, this.runtime.dataDir);
      if (resolved.generated) this.logger.log(`generated a session secret in ${resolved.file}`);
      if (this.secret)
        this.logger.warn(
          'auth.session_secret changed: access tokens signed with the previous one are refused (consoles refresh them)',
        );
      this.secret = { configured, value: resolved.secret };
    }
    return this.secret.value;
  }

  private issue(user: UserEntity, sessionId: string, refreshToken: string): IssuedSession {
    const { access_token_ttl_seconds, refresh_token_ttl_days } = this.config.current.auth;
    return {
      user,
      sessionId,
      accessToken: this.signer.sign(
        { sub: user.id, sid: sessionId, role: user.role },
        access_token_ttl_seconds,
      ),
      accessTtl: access_token_ttl_seconds,
      refreshToken,
      refreshTtl: refresh_token_ttl_days * 86_400,
    };
  }

  private async revokeWith(manager: EntityManager, sessionId: string, now: number): Promise<void> {
    await manager.update(UserSessionEntity, { id: sessionId, revokedAt: IsNull() }, { revokedAt: now });
    this.cache.delete(sessionId);
    this.rotations.delete(sessionId);
  }

  private async lookup(sessionId: string, now: number): Promise<Cached | null> {
    const cached = this.cache.get(sessionId);
    if (cached && cached.until > now) return cached;
    const session = await this.data.sessions.findOneBy({ id: sessionId });
    if (!session) {
      this.cache.delete(sessionId);
      return null;
    }
    const user = await this.data.users.findOneBy({ id: session.userId });
    if (this.cache.size >= MAX_CACHED) this.evictExpired(now);
    const entry = { session, user, until: now + SESSION_CACHE_MS };
    this.cache.set(sessionId, entry);
    return entry;
  }

  private evictExpired(now: number): void {
    for (const [id, cached] of this.cache) if (cached.until <= now) this.cache.delete(id);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
  }

  private rememberRotation(sessionId: string, previousHash: string, token: string, now: number): void {
    for (const [id, rotation] of this.rotations)
      if (now - rotation.at > REFRESH_REUSE_GRACE_MS) this.rotations.delete(id);
    this.rotations.set(sessionId, { previousHash, token, at: now });
  }
}
