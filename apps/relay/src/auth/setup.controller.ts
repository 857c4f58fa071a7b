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
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SessionView, SetupStatus } from '@monorelay/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigService } from '../config/config.service';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { ApiError, conflict, forbidden } from './api-error';
import { clientInfo } from './auth-cookies';
import { digest, secretMatches } from './credential';
import { SetupDto } from './dto/credentials.dto';
import { SessionDto, SetupStatusDto } from './dto/user-views.dto';
import { LoginRateLimiter } from './login-rate-limiter';
import { RequireAccess } from './roles';
import { signedIn } from './session-response';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

/** Failed access-key guesses count in the login limiter, as an "account" per address (never a user name). */
const setupLimitKey = (ip: string) => `\u0000setup:${ip}`;

/**
 * First run: the first account becomes the superadmin. Whoever calls first must prove they own the
 * server with the access key (printed in the log at first start and kept in `data/access_key`), so
 * a relay reachable from the internet cannot be claimed by a stranger before its owner signs in.
 */
@ApiTags('Setup')
@Controller('api/setup')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class SetupController {
  constructor(
    private readonly config: ConfigService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  @Get('status')
  @RequireAccess('public')
  @ApiOperation({ summary: 'Whether the first account still has to be made' })
  @ApiOkResponse({ type: SetupStatusDto })
  async status(): Promise<SetupStatus> {
    return { needsSetup: (await this.users.count()) === 0 };
  }

  @Post()
  @HttpCode(201)
  @RequireAccess('public')
  @ApiOperation({
    summary:
      'Creates the first account as superadmin and signs it in; needs the access key; only while no account ' +
      'exists (409 after)',
  })
  @ApiCreatedResponse({ type: SessionDto })
  async setup(
    @Body() body: SetupDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    if ((await this.users.count()) > 0)
      throw conflict('Setup is already done: sign in instead.', 'setup_done');
    const throttled = this.limiter.check(setupLimitKey(request.ip), request.ip);
    if (throttled) {
      reply.header('retry-after', String(throttled.retryAfterSeconds));
      throw new ApiError(
        429,
        `Too many wrong access keys: try again in ${throttled.retryAfterSeconds} s.`,
        'too_many_attempts',
      );
    }
    const accessKey = this.config.accessKey;
    if (!accessKey || !secretMatches(body.accessKey, digest(accessKey))) {
      this.limiter.recordFailure(setupLimitKey(request.ip), request.ip);
      throw forbidden(
        'The access key is not correct: use server.access_key, or the key in data/access_key printed at first start.',
        'invalid_access_key',
      );
    }
    const user = await this.users.createFirstSuperadmin(body);
    return signedIn(
      this.users,
      this.config.current,
      await this.sessions.open(user, clientInfo(request)),
      request,
      reply,
    );
  }
}
