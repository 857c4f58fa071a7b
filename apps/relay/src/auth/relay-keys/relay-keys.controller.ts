import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Req,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { CreatedRelayKey, RelayKeySummary } from '@monorelay/contracts';
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../api-error';
import type { Principal } from '../principal';
import { RequireAccess, roleAtLeast } from '../roles';
import { CreateRelayKeyDto } from './dto/create-relay-key.dto';
import { CreatedRelayKeyDto, RelayKeySummaryDto } from './dto/relay-key-summary.dto';
import { UpdateRelayKeyDto } from './dto/update-relay-key.dto';
import { RelayKeysService } from './relay-keys.service';

/**
 * A signed-in user's own relay keys, and (admins) everyone's. A key belonging to someone else
 * answers 404 to a user, as if it did not exist.
 */
@ApiTags('Relay keys')
@ApiBearerAuth()
@Controller('api/keys')
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class RelayKeysController {
  constructor(private readonly keys: RelayKeysService) {}

  @Get()
  @RequireAccess('user')
  @ApiOperation({
    summary: 'Your relay keys (newest first), with their limits and usage today and this month',
  })
  @ApiOkResponse({ type: [RelayKeySummaryDto] })
  listOwn(@Req() request: FastifyRequest): Promise<RelayKeySummary[]> {
    return this.keys.listOwn(userOf(request));
  }

  @Get('all')
  @RequireAccess('admin')
  @ApiOperation({ summary: 'Every relay key with its owner (admins)' })
  @ApiOkResponse({ type: [RelayKeySummaryDto] })
  listAll(@Req() request: FastifyRequest): Promise<RelayKeySummary[]> {
    requireAdmin(request);
    return this.keys.listAll();
  }

  @Post()
  @RequireAccess('user')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a relay key for /v1. The answer holds the key itself: it is shown this once',
  })
  @ApiCreatedResponse({ type: CreatedRelayKeyDto })
  create(@Req() request: FastifyRequest, @Body() body: CreateRelayKeyDto): Promise<CreatedRelayKey> {
    return this.keys.create(userOf(request), body);
  }

  @Patch(':id')
  @RequireAccess('user')
  @ApiOperation({ summary: 'Rename a key or change its expiry, models or limits (null clears one)' })
  @ApiParam({ name: 'id' })
  @ApiOkResponse({ type: RelayKeySummaryDto })
  update(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Body() body: UpdateRelayKeyDto,
  ): Promise<RelayKeySummary> {
    return this.keys.update(userOf(request), id, body);
  }

  @Delete(':id')
  @RequireAccess('user')
  @ApiOperation({ summary: 'Revoke a key (your own; admins: anyone’s). It stops working at once' })
  @ApiParam({ name: 'id' })
  @ApiOkResponse({ type: RelayKeySummaryDto })
  revoke(@Req() request: FastifyRequest, @Param('id') id: string): Promise<RelayKeySummary> {
    const principal = principalOf(request);
    return this.keys.revoke({ userId: principal.userId, isAdmin: roleAtLeast(principal.role, 'admin') }, id);
  }
}

function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (!principal) throw unauthorized('Sign in first.');
  return principal;
}

/** Relay keys belong to users: the access key (even with a role on /api) has none of its own. */
function userOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  if (principal.userId === null)
    throw forbidden('Relay keys belong to users: sign in as one.', 'user_required');
  return principal.userId;
}

function requireAdmin(request: FastifyRequest): void {
  if (!roleAtLeast(principalOf(request).role, 'admin')) throw forbidden('Admins only.');
}
