import { JwtService } from '@nestjs/jwt';
import { hash, randomBytes } from 'node:crypto';
import { ROLES, type Role } from './roles';

/** The access token cookie: every path, so `/api` requests carry it. */
export const ACCESS_COOKIE = 'mr_access';
/** The refresh token cookie: only sent to `/api/auth` (refresh, logout). */
export const REFRESH_COOKIE = 'mr_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

const ISSUER = 'monorelay';
const AUDIENCE = 'monorelay-api';

/** What an access token says. `role` is informative: the guard uses the user's current role. */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session id. */
  sid: string;
  role: Role;
  /** Issued at / expires (epoch seconds). */
  iat: number;
  exp: number;
}

/**
 * A refresh token: `<session id>.<32 random bytes, base64url>`. The session id lets a refresh that
 * presents an old (already rotated) token find its session and revoke it: a used refresh token
 * coming back means someone else holds a copy. Only the SHA-256 of the whole token is stored.
 */
export function newRefreshToken(sessionId: string): string {
  return `${sessionId}.${randomBytes(32).toString('base64url')}`;
}

const REFRESH_TOKEN = /^([0-9a-f-]{36})\.[A-Za-z0-9_-]{43}$/;

/** The session a refresh token names; null when it is not one of ours. */
export function sessionIdOfRefreshToken(token: string): string | null {
  return REFRESH_TOKEN.exec(token)?.[1] ?? null;
}

/** SHA-256, hex: how refresh and invite tokens are stored (256-bit random tokens need no slow hash). */
export function tokenHash(token: string): string {
  return hash('sha256', token, 'hex');
}

/** A random one-time token (invites): 32 bytes, base64url. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A compact JWS (`xxx.yyy.zzz`, header starting `{"`), as opposed to the access key or a relay key. */
export function looksLikeJwt(token: string): boolean {
  return token.startsWith('eyJ') && token.split('.').length === 3;
}

/**
 * Signs and checks access tokens: JWT HS256 with the session secret (read through `secret()`, so a
 * changed `auth.session_secret` applies at once), fixed issuer and audience, HS256 only.
 */
export class AccessTokenSigner {
  private readonly jwt = new JwtService({});

  constructor(private readonly secret: () => string) {}

  sign(claims: { sub: string; sid: string; role: Role }, ttlSeconds: number): string {
    return this.jwt.sign(
      { sid: claims.sid, role: claims.role },
      {
        secret: this.secret(),
        algorithm: 'HS256',
        subject: claims.sub,
        expiresIn: ttlSeconds,
        issuer: ISSUER,
        audience: AUDIENCE,
      },
    );
  }

  /** The claims of a valid token; null when it is forged, malformed or (unless allowed) expired. */
  verify(token: string, { ignoreExpiration = false } = {}): AccessClaims | null {
    try {
      const claims = this.jwt.verify<Partial<AccessClaims>>(token, {
        secret: this.secret(),
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        ignoreExpiration,
      });
      const { sub, sid, role, iat, exp } = claims;
      if (typeof sub !== 'string' || typeof sid !== 'string' || !ROLES.includes(role as Role)) return null;
      if (typeof iat !== 'number' || typeof exp !== 'number') return null;
      return { sub, sid, role: role as Role, iat, exp };
    } catch {
      return null;
    }
  }
}
