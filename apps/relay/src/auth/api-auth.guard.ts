import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ConfigService } from '../config/config.service';
import type { RelayConfig } from '../config/relay-config';
import { ApiError, forbidden, unauthorized } from './api-error';
import { configuredOrigin, cookieOf } from './auth-cookies';
import { digest, presentedCredential, secretMatches } from './credential';
import type { Principal } from './principal';
import { type Access, ACCESS_METADATA, type Role, roleAtLeast } from './roles';
import { ACCESS_COOKIE, looksLikeJwt } from './session-tokens';
import { SessionsService } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `/api` and everything under it. */
export function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path === '/api' || path.startsWith('/api?');
}

/** What the guard needs to know of a route handler; worked out once per handler. */
interface RouteFacts {
  /** Served under `/api`. */
  api: boolean;
  /** The path pattern, for messages. */
  path: string;
  access: Access | undefined;
}

/**
 * The paths a handler is mounted at, from its Nest route metadata (controller paths x handler
 * paths). Taken from the route declaration, not the request URL: the router decodes the URL
 * (`/%61pi/users` reaches `/api/users`), so a check on the raw URL could be walked around.
 */
export function routePaths(controller: object, handler: object): string[] {
  const list = (value: unknown): string[] =>
    value === undefined ? ['/'] : Array.isArray(value) ? (value as string[]) : [String(value)];
  const bases = list(Reflect.getMetadata(PATH_METADATA, controller));
  const paths = list(Reflect.getMetadata(PATH_METADATA, handler));
  return bases.flatMap((base) =>
    paths.map((path) => `/${base}/${path}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1')),
  );
}

/**
 * The one guard of every `/api` route (registered as `APP_GUARD`; other paths pass through
 * untouched: `/v1` has `RelayAuthGuard`). Each route declares who may call it with
 * `@RequireAccess` (handler first, then controller); a route that declares nothing is refused with
 * a 500, and `test/api-access.test.ts` makes sure none exists.
 *
 * Credentials, in this order (a header credential, when present, is the only one looked at):
 * - `Authorization: Bearer <access token>` (scripts), or the access key (`Bearer`, `x-api-key`,
 *   `x-access-key`) when `auth.access_key_role` gives it a role;
 * - the `mr_access` cookie (the console).
 * No or bad credential: 401. Known caller without the role: 403.
 *
 * CSRF: the cookies are SameSite=Lax, so browsers do not send them on cross-site POST/PUT/PATCH/
 * DELETE requests (forms or fetch); a state-changing request that relies on cookies (none of the
 * headers above) must also, when it has an `Origin` header, come from the relay's own origin,
 * `server.public_host`, or an origin listed in `server.cors_origins` (a `*` there does not count).
 * That closes the same-site-but-cross-origin gap (another app on a sibling subdomain) and covers
 * the public cookie routes (sign-in, refresh, sign-out) too. Reads authenticated by the cookie get
 * the same check, so such a page cannot read answers either (the CORS hook reflects any origin
 * while `server.cors_origins` is `*`); browsers send `Origin` on every cross-origin fetch. Header
 * credentials cannot be forged by another page, so they skip the check.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  private accessKey = '';
  private accessKeyDigest = digest('');
  private readonly routes = new WeakMap<object, RouteFacts>();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: ConfigService,
    private readonly sessions: SessionsService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.factsOf(context);
    if (!route.api) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const access = route.access;
    if (!access)
      throw new ApiError(
        500,
        `${request.method} ${route.path}: route declares no access`,
        'route_without_access',
      );

    const config = this.config.current;
    const headerCredential = presentedCredential(request.headers);
    if (headerCredential === null && !SAFE_METHODS.has(request.method)) checkOrigin(request, config);
    if (access === 'public') return true;
    return this.admit(request, access, headerCredential, config);
  }

  private async admit(
    request: FastifyRequest,
    access: Role,
    headerCredential: string | null,
    config: RelayConfig,
  ): Promise<boolean> {
    if (headerCredential === null) checkOrigin(request, config); // reads too: see the CSRF note
    const principal = headerCredential
      ? await this.fromHeader(headerCredential, config)
      : await this.fromCookie(request);
    if (!roleAtLeast(principal.role, access)) {
      throw forbidden(
        `This needs the ${access} role; you are signed in as ${principal.role ?? 'no role'}.`,
        'insufficient_role',
      );
    }
    request.principal = principal;
    return true;
  }

  /** Cached per handler: the `/v1` hot path pays one WeakMap lookup here. */
  private factsOf(context: ExecutionContext): RouteFacts {
    const handler = context.getHandler();
    let facts = this.routes.get(handler);
    if (!facts) {
      const paths = routePaths(context.getClass(), handler);
      const api = paths.filter(isApiPath);
      facts = {
        api: api.length > 0,
        path: api[0] ?? paths[0],
        access: this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
          handler,
          context.getClass(),
        ]),
      };
      this.routes.set(handler, facts);
    }
    return facts;
  }

  private async fromHeader(credential: string, config: RelayConfig): Promise<Principal> {
    if (looksLikeJwt(credential)) return this.fromAccessToken(credential);
    if (
      config.server.access_key_enabled &&
      this.config.accessKey &&
      secretMatches(credential, this.expectedDigest())
    ) {
      const role = config.auth.access_key_role;
      if (role === '')
        throw unauthorized(
          'The access key is a /v1 credential only (auth.access_key_role is empty): sign in to use /api.',
          'access_key_not_allowed',
        );
      return accessKeyPrincipal(role);
    }
    throw unauthorized('Invalid credential: sign in, or send a valid access token.', 'invalid_credentials');
  }

  private async fromCookie(request: FastifyRequest): Promise<Principal> {
    const token = cookieOf(request, ACCESS_COOKIE);
    if (!token) throw unauthorized('Sign in to use this API.', 'missing_credentials');
    return this.fromAccessToken(token);
  }

  private async fromAccessToken(token: string): Promise<Principal> {
    const checked = await this.sessions.authenticate(token);
    if (!checked.ok) throw unauthorized(checked.message, checked.code);
    return checked.principal;
  }

  private expectedDigest(): Buffer {
    const accessKey = this.config.accessKey;
    if (accessKey !== this.accessKey) {
      this.accessKey = accessKey;
      this.accessKeyDigest = digest(accessKey);
    }
    return this.accessKeyDigest;
  }
}

function accessKeyPrincipal(role: Role): Principal {
  return { kind: 'access_key', id: 'access_key', name: 'access key', userId: null, role };
}

/** See the CSRF note on {@link ApiAuthGuard}. */
function checkOrigin(request: FastifyRequest, config: RelayConfig): void {
  const origin = request.headers.origin;
  if (origin === undefined || originAllowed(origin, request, config)) return;
  throw forbidden(`Cross-origin request from ${origin} refused.`, 'origin_not_allowed');
}

export function originAllowed(origin: string, request: FastifyRequest, config: RelayConfig): boolean {
  if (origin === `${request.protocol}://${request.host}`) return true;
  if (origin === configuredOrigin(config)) return true;
  return origin !== '*' && config.server.cors_origins.includes(origin);
}
