import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Req,
  Res,
  UseFilters,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MeView, SessionView } from '@monorelay/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigService } from '../config/config.service';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { ApiError, badRequest, forbidden, unauthorized } from './api-error';
import { clearSessionCookies, clientInfo, cookieOf } from './auth-cookies';
import { presentedCredential } from './credential';
import { ChangePasswordDto, LoginDto, SignupDto } from './dto/credentials.dto';
import { MeDto, SessionDto } from './dto/user-views.dto';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordService } from './password.service';
import { RequireAccess } from './roles';
import { ACCESS_COOKIE, looksLikeJwt, REFRESH_COOKIE } from './session-tokens';
import { signedIn } from './session-response';
import { type IssuedSession, SessionsService } from './sessions.service';
import { SignupService } from './signup.service';
import { usernameKeyOf, UsersService } from './users.service';

/** Console sign-in: password login, session refresh and logout, the signed-in user, sign-up. */
@ApiTags('Sign-in')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/auth')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class AuthController {
  constructor(
    private readonly config: ConfigService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordService,
    private readonly limiter: LoginRateLimiter,
    private readonly signups: SignupService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @RequireAccess('public')
  @ApiOperation({
    summary:
      'Password sign-in: sets the mr_access and mr_refresh cookies. 401 for a wrong name or password (one message ' +
      'for both), 403 when the account is disabled or sso.sso_only is on, 429 + Retry-After after too many failures',
  })
  @ApiOkResponse({ type: SessionDto })
  async login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    const config = this.config.current;
    if (config.sso.sso_only)
      throw forbidden('Password sign-in is turned off (sso.sso_only): sign in with SSO.', 'sso_only');
    const key = usernameKeyOf(body.username);
    this.throttle(key, request, reply);
    const user = await this.users.findByUsername(body.username);
    const matches = await this.passwords.verify(user?.passwordHash ?? null, body.password);
    if (!user || !matches) {
      this.limiter.recordFailure(key, request.ip);
      throw unauthorized('Incorrect user name or password.', 'invalid_credentials');
    }
    this.limiter.recordSuccess(key);
    if (user.disabled) throw forbidden('This account is disabled.', 'account_disabled');
    return this.signIn(await this.sessions.open(user, clientInfo(request)), request, reply);
  }

  @Post('refresh')
  @HttpCode(200)
  @RequireAccess('public')
  @ApiOperation({
    summary:
      'New access token from the mr_refresh cookie, which is rotated: the old one stops working, and presenting ' +
      'it again revokes the session',
  })
  @ApiOkResponse({ type: SessionDto })
  async refresh(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    const token = cookieOf(request, REFRESH_COOKIE);
    if (!token)
      throw badRequest('No refresh token (the mr_refresh cookie): sign in.', 'missing_refresh_token');
    let issued: IssuedSession;
    try {
      issued = await this.sessions.refresh(token);
    } catch (error) {
      if (error instanceof ApiError && error.getStatus() === 401)
        clearSessionCookies(reply, request, this.config.current);
      throw error;
    }
    return this.signIn(issued, request, reply);
  }

  @Post('logout')
  @HttpCode(204)
  @RequireAccess('public')
  @ApiOperation({ summary: 'Ends the session (at once) and clears the cookies' })
  async logout(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const bearer = presentedCredential(request.headers);
    const accessToken = bearer && looksLikeJwt(bearer) ? bearer : cookieOf(request, ACCESS_COOKIE);
    await this.sessions.logout(accessToken, cookieOf(request, REFRESH_COOKIE));
    clearSessionCookies(reply, request, this.config.current);
  }

  @Get('me')
  @RequireAccess('user')
  @ApiOperation({ summary: 'The signed-in user (or the access key, when auth.access_key_role lets it in)' })
  @ApiOkResponse({ type: MeDto })
  async me(@Req() request: FastifyRequest): Promise<MeView> {
    const principal = request.principal!;
    if (principal.userId === null) {
      return {
        kind: 'access_key',
        id: null,
        username: 'access-key',
        displayName: 'Access key',
        email: null,
        role: principal.role!,
        disabled: false,
        hasPassword: false,
        identities: [],
        createdAt: 0,
        lastLoginAt: null,
      };
    }
    const user = await this.users.findById(principal.userId);
    if (!user) throw unauthorized('Your session has ended: sign in again.', 'session_ended');
    return { ...(await this.users.view(user)), kind: 'user' };
  }

  @Post('password')
  @HttpCode(200)
  @RequireAccess('user')
  @ApiOperation({
    summary:
      'Changes your password (the current one is required when the account has one). Every session ends, ' +
      'then this one continues with new cookies',
  })
  @ApiOkResponse({ type: SessionDto })
  async changePassword(
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    const principal = request.principal!;
    if (principal.userId === null)
      throw badRequest('The access key has no password to change.', 'not_a_user');
    const user = await this.users.findById(principal.userId);
    if (!user) throw unauthorized('Your session has ended: sign in again.', 'session_ended');
    if (user.passwordHash !== null) {
      this.throttle(user.usernameKey, request, reply);
      const matches =
        body.currentPassword !== undefined &&
        (await this.passwords.verify(user.passwordHash, body.currentPassword));
      if (!matches) {
        this.limiter.recordFailure(user.usernameKey, request.ip);
        throw badRequest('The current password is not correct.', 'wrong_password');
      }
    }
    await this.users.setPassword(user, body.newPassword);
    return this.signIn(await this.sessions.open(user, clientInfo(request)), request, reply);
  }

  @Post('signup')
  @HttpCode(201)
  @RequireAccess('public')
  @ApiOperation({
    summary:
      'Creates a local account and signs it in: with an invite token, or by anyone when auth.open_signup is on ' +
      '(403 otherwise)',
  })
  @ApiOkResponse({ type: SessionDto })
  async signup(
    @Body() body: SignupDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    const user = await this.signups.signUp(body);
    return this.signIn(await this.sessions.open(user, clientInfo(request)), request, reply);
  }

  private throttle(usernameKey: string, request: FastifyRequest, reply: FastifyReply): void {
    const throttled = this.limiter.check(usernameKey, request.ip);
    if (!throttled) return;
    reply.header('retry-after', String(throttled.retryAfterSeconds));
    const what = throttled.scope === 'account' ? 'this account' : 'your address';
    throw new ApiError(
      429,
      `Too many failed sign-ins for ${what}: try again in ${throttled.retryAfterSeconds} s.`,
      'too_many_attempts',
    );
  }

  private signIn(issued: IssuedSession, request: FastifyRequest, reply: FastifyReply): Promise<SessionView> {
    return signedIn(this.users, this.config.current, issued, request, reply);
  }
}
