import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RelayConfig } from '../config/relay-config';
import type { ClientInfo, IssuedSession } from './sessions.service';
import { ACCESS_COOKIE, REFRESH_COOKIE, REFRESH_COOKIE_PATH } from './session-tokens';

/**
 * Session cookies. Both httpOnly (scripts in the page never see them) and SameSite=Lax (not sent on
 * cross-site subrequests); `Secure` when the request came over HTTPS (`request.protocol` honours
 * `relay.trusted_proxies`) or `server.public_host` is an https URL. The refresh cookie is only sent
 * to `/api/auth`.
 */
export function setSessionCookies(
  reply: FastifyReply,
  request: FastifyRequest,
  config: RelayConfig,
  issued: IssuedSession,
): void {
  const secure = isSecure(request, config);
  reply.setCookie(ACCESS_COOKIE, issued.accessToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: issued.accessTtl,
  });
  reply.setCookie(REFRESH_COOKIE, issued.refreshToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: REFRESH_COOKIE_PATH,
    maxAge: issued.refreshTtl,
  });
}

export function clearSessionCookies(reply: FastifyReply, request: FastifyRequest, config: RelayConfig): void {
  const secure = isSecure(request, config);
  reply.clearCookie(ACCESS_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: REFRESH_COOKIE_PATH });
}

/**
 * A cookie of the request. The cookie plugin is registered without its per-request parsing hook
 * (the `/v1` path never needs cookies), so the header is parsed here, on demand.
 */
export function cookieOf(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  request.cookies ??= request.server.parseCookie(header);
  return request.cookies[name] || null;
}

export function clientInfo(request: FastifyRequest): ClientInfo {
  return { userAgent: request.headers['user-agent'] ?? '', ip: request.ip };
}

/** `server.public_host` (as an origin), else the origin the request was made to. */
export function publicOrigin(request: FastifyRequest, config: RelayConfig): string {
  return configuredOrigin(config) ?? `${request.protocol}://${request.host}`;
}

/** `server.public_host` as an origin (`https://relay.example.com`); a bare host name means https. */
export function configuredOrigin(config: RelayConfig): string | null {
  const host = config.server.public_host.trim();
  if (!host) return null;
  try {
    return new URL(/^https?:\/\//i.test(host) ? host : `https://${host}`).origin;
  } catch {
    return null;
  }
}

function isSecure(request: FastifyRequest, config: RelayConfig): boolean {
  return request.protocol === 'https' || config.server.public_host.trim().toLowerCase().startsWith('https:');
}
