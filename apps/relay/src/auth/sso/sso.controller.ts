import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiFoundResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigService } from '../../config/config.service';
import type { RelayConfig } from '../../config/relay-config';
import { badRequest, notFound } from '../api-error';
import { clientInfo, configuredOrigin, cookieOf, publicOrigin, setSessionCookies } from '../auth-cookies';
import { RequireAccess } from '../roles';
import { SessionsService } from '../sessions.service';
import { SsoLinkQueryDto, SsoLoginQueryDto, SsoStatusDto } from './dto/sso.dto';
import {
  OAUTH_FLOW,
  OAUTH_STATE_COOKIE,
  OAUTH_STATE_COOKIE_PATH,
  OAUTH_STATE_TTL_MS,
  type OAuthFlow,
  type OAuthIntent,
  type OAuthStateFailure,
} from './oauth-state.store';
import { runPassport } from './passport-fastify';
import { errorLocation, safeReturnTo } from './return-to';
import { ssoPassport } from './sso-passport';
import type { SsoProfile } from './sso-profile';
import {
  configuredProviders,
  defaultProvider,
  isSsoProvider,
  SSO_PROVIDERS,
  type SsoProvider,
} from './sso-providers';
import type { SsoErrorCode } from './sso-rules';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoStrategies } from './sso-strategies.service';

/** An invite token as `InvitesService` makes them (base64url); anything else names no invite. */
const INVITE_TOKEN = /^[A-Za-z0-9_-]{1,200}$/;
const STATE_FAILURES = new Set<string>(['invalid_state', 'state_expired']);

/**
 * Console sign-in with GitHub and Google (OAuth 2.0 authorization code flow with PKCE). The
 * browser navigates to `login`, the provider sends it back to `callback`, which signs it in (the
 * `mr_access`/`mr_refresh` cookies) and redirects to `returnTo`. Failures redirect to
 * `/#/login?error=<code>` (linking: `/#/account?error=<code>`); no HTML page, and nothing the
 * provider wrote, is ever shown.
 */
@ApiTags('Single sign-on')
@Controller('api/auth/sso')
export class SsoController {
  private readonly logger = new Logger('SSO');

  constructor(
    private readonly config: ConfigService,
    private readonly strategies: SsoStrategies,
    private readonly signIns: SsoSignInService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('status')
  @RequireAccess('public')
  @ApiOperation({
    summary: 'Which SSO providers the sign-in page offers, the default one, and whether SSO is the only way',
  })
  @ApiOkResponse({ type: SsoStatusDto })
  status(): SsoStatusDto {
    const { sso } = this.config.current;
    const configured = configuredProviders(sso);
    return {
      enabled: configured.length > 0,
      providers: SSO_PROVIDERS.filter((provider) => configured.includes(provider.id)).map((provider) => ({
        ...provider,
        loginUrl: `/api/auth/sso/${provider.id}/login`,
      })),
      defaultProvider: defaultProvider(sso),
      ssoOnly: sso.sso_only,
    };
  }

  @Get(':provider/login')
  @RequireAccess('public')
  @ApiOperation({
    summary:
      'Starts a sign-in: 302 to the provider (state + PKCE S256; the flow is bound to this browser by the ' +
      'mr_oauth cookie). 404 when SSO or this provider is not configured',
  })
  @ApiParam({ name: 'provider', enum: ['github', 'google'] })
  @ApiFoundResponse({ description: 'To the provider’s authorization page' })
  @ApiNotFoundResponse({ description: 'SSO is off, or this provider is not configured' })
  async login(
    @Param('provider') provider: string,
    @Query() query: SsoLoginQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const invite = typeof query.invite === 'string' && query.invite !== '' ? query.invite : null;
    await this.start(provider, request, reply, {
      returnTo: safeReturnTo(query.returnTo),
      // A malformed token still counts as an invite (one that names nothing): the sign-up says invite_invalid.
      invite: invite === null ? null : INVITE_TOKEN.test(invite) ? invite : '-',
      link: null,
    });
  }

  @Get(':provider/link')
  @RequireAccess('user')
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      'Links a GitHub/Google account to the signed-in user: the same flow as login; the callback attaches the ' +
      'identity (refused when it belongs to another user) and redirects to returnTo',
  })
  @ApiParam({ name: 'provider', enum: ['github', 'google'] })
  @ApiFoundResponse({ description: 'To the provider’s authorization page' })
  async link(
    @Param('provider') provider: string,
    @Query() query: SsoLinkQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // A GET, so another site can start it in a signed-in browser; but that browser then signs in at
    // the provider as its own person, so at worst it links that person's own account, and a code
    // from another browser cannot finish the flow (the mr_oauth cookie).
    const userId = request.principal?.userId ?? null;
    if (userId === null)
      throw badRequest('Linking needs a signed-in user, not the access key.', 'not_a_user');
    await this.start(provider, request, reply, {
      returnTo: safeReturnTo(query.returnTo),
      invite: null,
      link: userId,
    });
  }

  @Get(':provider/callback')
  @RequireAccess('public')
  @ApiOperation({
    summary:
      'Where the provider sends the browser back: checks the state (this browser’s, unused, < 10 min), redeems ' +
      'the code with the PKCE verifier, applies the account rules, sets the session cookies, 302 to returnTo. ' +
      'Failures: 302 to /#/login?error=<code> (access_denied, invalid_state, state_expired, invalid_request, ' +
      'provider_error, account_disabled, signup_closed, setup_required, invite_invalid, org_required, ' +
      'domain_required, identity_in_use, server_error)',
  })
  @ApiParam({ name: 'provider', enum: ['github', 'google'] })
  @ApiFoundResponse({ description: 'To returnTo (signed in), or to the console’s error page' })
  async callback(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const config = this.config.current;
    const id = this.configured(provider);
    const flow: OAuthFlow = { provider: id, cookie: cookieOf(request, OAUTH_STATE_COOKIE) };
    // Single use: whatever happens next, this browser's state is spent.
    reply.clearCookie(OAUTH_STATE_COOKIE, this.stateCookieOptions(request, config));
    const fail = (code: SsoErrorCode, linking = false) => this.redirect(reply, errorLocation(code, linking));

    const query = request.query as Record<string, unknown>;
    if (query.error !== undefined) {
      const denied = query.error === 'access_denied';
      if (!denied)
        this.logger.warn(`${id} sign-in: the provider answered error=${String(query.error).slice(0, 100)}`);
      return fail(denied ? 'access_denied' : 'provider_error');
    }
    if (typeof query.code !== 'string' || query.code === '' || typeof query.state !== 'string')
      return fail(typeof query.code === 'string' ? 'invalid_state' : 'invalid_request');

    const strategy = this.strategies.get(id)!;
    const outcome = await runPassport(
      ssoPassport,
      strategy,
      request,
      { callbackURL: this.callbackUrl(request, config, id) },
      { [OAUTH_FLOW]: flow },
    );
    if (outcome.kind === 'fail') {
      const code = (outcome.info as Partial<OAuthStateFailure> | undefined)?.code;
      if (code && STATE_FAILURES.has(code)) {
        this.logger.log(`${id} sign-in refused: ${(outcome.info as OAuthStateFailure).message}`);
        return fail(code as SsoErrorCode);
      }
      return fail('provider_error');
    }
    if (outcome.kind === 'error') {
      this.logger.warn(`${id} sign-in failed: ${outcome.error.message}`);
      return fail('provider_error');
    }
    if (outcome.kind === 'redirect' || !flow.record) return fail('invalid_request');

    const record = flow.record;
    const linking = record.link !== null;
    try {
      const result = await this.signIns.signIn(outcome.user as SsoProfile, record);
      if (!result.ok) return fail(result.code, linking);
      if (!linking) {
        const issued = await this.sessions.open(result.user, clientInfo(request));
        setSessionCookies(reply, request, this.config.current, issued);
      }
      return this.redirect(reply, record.returnTo);
    } catch (error) {
      this.logger.error(`${id} sign-in failed: ${(error as Error).message}`);
      return fail('server_error', linking);
    }
  }

  /** Login and link: runs the strategy's first step and sends the browser to the provider. */
  private async start(provider: string, request: FastifyRequest, reply: FastifyReply, intent: OAuthIntent) {
    const config = this.config.current;
    const id = this.configured(provider);
    const flow: OAuthFlow = { provider: id, cookie: null };
    const outcome = await runPassport(
      ssoPassport,
      this.strategies.get(id)!,
      request,
      { state: intent, callbackURL: this.callbackUrl(request, config, id) } as Record<string, unknown>,
      { [OAUTH_FLOW]: flow },
    );
    if (outcome.kind !== 'redirect' || !flow.sealed) {
      const why = outcome.kind === 'error' ? outcome.error.message : outcome.kind;
      this.logger.error(`${id} sign-in could not start: ${why}`);
      return this.redirect(reply, errorLocation('server_error', intent.link !== null));
    }
    reply.setCookie(OAUTH_STATE_COOKIE, flow.sealed, {
      ...this.stateCookieOptions(request, config),
      maxAge: OAUTH_STATE_TTL_MS / 1000,
    });
    return this.redirect(reply, outcome.url);
  }

  /** The provider id when SSO is on and it is configured; else 404. */
  private configured(provider: string): SsoProvider {
    if (isSsoProvider(provider) && this.strategies.get(provider)) return provider;
    throw notFound(
      `Sign-in with "${provider.slice(0, 40)}" is not configured on this relay.`,
      'sso_provider_not_found',
    );
  }

  /** `<server.public_host or the request's origin>/api/auth/sso/<provider>/callback`. */
  private callbackUrl(request: FastifyRequest, config: RelayConfig, provider: SsoProvider): string {
    return `${publicOrigin(request, config)}/api/auth/sso/${provider}/callback`;
  }

  private stateCookieOptions(request: FastifyRequest, config: RelayConfig) {
    const secure = request.protocol === 'https' || (configuredOrigin(config)?.startsWith('https:') ?? false);
    // Lax: the provider brings the browser back with a top-level GET, which carries Lax cookies.
    return { httpOnly: true, sameSite: 'lax' as const, secure, path: OAUTH_STATE_COOKIE_PATH };
  }

  private redirect(reply: FastifyReply, location: string): void {
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
    reply.redirect(location, 302);
  }
}
