import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseFilters,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { CreatedInvite, InviteView } from '@monorelay/contracts';
import type { FastifyRequest } from 'fastify';
import { ConfigService } from '../config/config.service';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { publicOrigin } from './auth-cookies';
import { CreateInviteDto } from './dto/user-admin.dto';
import { CreatedInviteDto, InviteDto } from './dto/user-views.dto';
import { InvitesService } from './invites.service';
import { actorOf } from './principal-actor';
import { RequireAccess } from './roles';

/** One-time sign-up links (`auth.invite_ttl_hours`), for admins. */
@ApiTags('Users')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/users/invites')
@RequireAccess('admin')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class InvitesController {
  constructor(
    private readonly config: ConfigService,
    private readonly invites: InvitesService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Makes an invite; its token and link are shown this once (admin role: superadmins only)',
  })
  @ApiCreatedResponse({ type: CreatedInviteDto })
  create(@Body() body: CreateInviteDto, @Req() request: FastifyRequest): Promise<CreatedInvite> {
    return this.invites.create(actorOf(request), body, publicOrigin(request, this.config.current));
  }

  @Get()
  @ApiOperation({ summary: 'Every invite, newest first, with its state (never its token)' })
  @ApiOkResponse({ type: [InviteDto] })
  list(): Promise<InviteView[]> {
    return this.invites.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraws an invite' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.invites.remove(id);
  }
}
