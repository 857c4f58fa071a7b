import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
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
import type { UserView } from '@monorelay/contracts';
import type { FastifyRequest } from 'fastify';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { ApiError } from './api-error';
import { CreateUserDto, ResetPasswordDto } from './dto/credentials.dto';
import { UpdateUserDto } from './dto/user-admin.dto';
import { UserDto } from './dto/user-views.dto';
import { actorOf } from './principal-actor';
import { RequireAccess } from './roles';
import { grantBreach } from './user-rules';
import { UsersService } from './users.service';

/**
 * Accounts, for admins. An admin manages `user` accounts; only a superadmin grants or revokes the
 * admin and superadmin roles or touches such accounts; nobody demotes or disables themselves; one
 * enabled superadmin always remains. Answers never carry password or token hashes.
 */
@ApiTags('Users')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/users')
@RequireAccess('admin')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Every account, oldest first' })
  @ApiOkResponse({ type: [UserDto] })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Creates a local account with a password (admin and superadmin roles: superadmins only)',
  })
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() body: CreateUserDto, @Req() request: FastifyRequest): Promise<UserView> {
    const role = body.role ?? 'user';
    const breach = grantBreach(actorOf(request), role);
    if (breach) throw new ApiError(breach.status, breach.message, breach.code);
    return this.users.view(await this.users.createLocalUser({ ...body, role }));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Changes role, disabled, e-mail or display name (disabling ends the user’s sessions)',
  })
  @ApiOkResponse({ type: UserDto })
  update(
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @Req() request: FastifyRequest,
  ): Promise<UserView> {
    return this.users.update(actorOf(request), id, body);
  }

  @Post(':id/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sets a new password for the user; all their sessions end' })
  async resetPassword(
    @Param('id') id: string,
    @Body() body: ResetPasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.users.resetPassword(actorOf(request), id, body.password);
  }
}
