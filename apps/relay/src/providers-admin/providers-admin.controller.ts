import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  UseFilters,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type {
  ProviderKeyImportResult,
  ProviderModelsResult,
  ProviderTestResult,
  ProviderView,
} from '@monorelay/contracts';
import { RequireAccess } from '../auth/roles';
import { ConfigRejectedDto } from '../config-editor/dto/config-editor.dto';
import { badRequest } from '../auth/api-error';
import { CreateProviderDto, UpdateProviderDto } from './dto/provider-input.dto';
import {
  ImportProviderKeysDto,
  NewProviderKeyDto,
  TestProviderDto,
  UpdateProviderKeyDto,
} from './dto/provider-key-input.dto';
import {
  ProviderKeyImportResultDto,
  ProviderModelsResultDto,
  ProviderTestResultDto,
  ProviderViewDto,
} from './dto/provider-view.dto';
import { ProvidersAdminExceptionFilter } from './providers-admin-exception.filter';
import { ProvidersAdminService } from './providers-admin.service';

const REJECTED = {
  type: ConfigRejectedDto,
  description: 'The edited config is invalid: nothing was written',
};
const CHANGED = {
  type: ConfigRejectedDto,
  description: 'The config file changed during the edit: try again',
};

/**
 * Upstream providers and their keys, for admins. Every change is a structured edit of config.yml
 * (validated, saved, applied at once). Keys are answered masked; header values never.
 */
@ApiTags('Providers')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/providers')
@RequireAccess('admin')
@UseFilters(ProvidersAdminExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class ProvidersAdminController {
  constructor(private readonly providers: ProvidersAdminService) {}

  @Get()
  @ApiOperation({
    summary: 'Every configured provider: settings, keys (masked) with their state, health, 24 h figures',
  })
  @ApiOkResponse({ type: [ProviderViewDto] })
  list(): Promise<ProviderView[]> {
    return this.providers.list();
  }

  @Post()
  @ApiOperation({ summary: 'Adds a provider (and its first keys) to config.yml and applies it' })
  @ApiCreatedResponse({ type: ProviderViewDto })
  @ApiConflictResponse({ description: 'A provider of that name exists, or the file changed meanwhile' })
  @ApiUnprocessableEntityResponse(REJECTED)
  create(@Body() body: CreateProviderDto): Promise<ProviderView> {
    return this.providers.create(body);
  }

  @Get(':name')
  @ApiOperation({ summary: 'One provider' })
  @ApiOkResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ description: 'No provider of that name' })
  get(@Param('name') name: string): Promise<ProviderView> {
    return this.providers.get(name);
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Changes some settings of a provider (null resets one to its default)' })
  @ApiOkResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ description: 'No provider of that name' })
  @ApiConflictResponse(CHANGED)
  @ApiUnprocessableEntityResponse(REJECTED)
  update(@Param('name') name: string, @Body() body: UpdateProviderDto): Promise<ProviderView> {
    const { name: named, ...settings } = body;
    if (named !== undefined && named !== name)
      throw badRequest('name: a provider cannot be renamed here', 'rename_not_supported');
    return this.providers.update(name, settings);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a provider from config.yml' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ description: 'No provider of that name' })
  @ApiConflictResponse(CHANGED)
  @ApiUnprocessableEntityResponse(REJECTED)
  remove(@Param('name') name: string): void {
    this.providers.remove(name);
  }

  @Post(':name/keys')
  @ApiOperation({ summary: 'Adds a key to a provider' })
  @ApiCreatedResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ description: 'No provider of that name' })
  @ApiConflictResponse({ description: 'The provider already has this key, or the file changed meanwhile' })
  @ApiUnprocessableEntityResponse(REJECTED)
  addKey(@Param('name') name: string, @Body() body: NewProviderKeyDto): Promise<ProviderView> {
    return this.providers.addKey(name, body);
  }

  @Post(':name/keys/import')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Adds many keys from pasted text (lines, CSV or JSON); duplicates are skipped, unreadable lines reported by number',
  })
  @ApiOkResponse({ type: ProviderKeyImportResultDto })
  @ApiBadRequestResponse({
    description: 'The text cannot be read at all (e.g. invalid JSON, unknown CSV column)',
  })
  @ApiNotFoundResponse({ description: 'No provider of that name' })
  @ApiConflictResponse(CHANGED)
  @ApiUnprocessableEntityResponse(REJECTED)
  importKeys(
    @Param('name') name: string,
    @Body() body: ImportProviderKeysDto,
  ): Promise<ProviderKeyImportResult> {
    return this.providers.importKeys(name, body);
  }

  @Patch(':name/keys/:index')
  @ApiOperation({ summary: 'Changes a key’s label, weight, limits, enabled flag, or replaces its secret' })
  @ApiOkResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ description: 'No such provider or key' })
  @ApiConflictResponse({ description: 'Another key has this secret, or the file changed meanwhile' })
  @ApiUnprocessableEntityResponse(REJECTED)
  updateKey(
    @Param('name') name: string,
    @Param('index') index: string,
    @Body() body: UpdateProviderKeyDto,
  ): Promise<ProviderView> {
    return this.providers.updateKey(name, index, body);
  }

  @Delete(':name/keys/:index')
  @ApiOperation({ summary: 'Removes a key (the keys after it move up one index)' })
  @ApiOkResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ description: 'No such provider or key' })
  @ApiConflictResponse(CHANGED)
  @ApiUnprocessableEntityResponse(REJECTED)
  removeKey(@Param('name') name: string, @Param('index') index: string): Promise<ProviderView> {
    return this.providers.removeKey(name, index);
  }

  @Post(':name/keys/:index/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Puts a key that failed authentication (401/403) back into rotation' })
  @ApiOkResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ description: 'No such provider or key' })
  restoreKey(@Param('name') name: string, @Param('index') index: string): Promise<ProviderView> {
    return this.providers.restoreKey(name, index);
  }

  @Post(':name/test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'One small chat call straight to the provider with a leased key (no routing, no fallback); the outcome counts for the key',
  })
  @ApiOkResponse({ type: ProviderTestResultDto })
  @ApiBadRequestResponse({ description: 'No model given and none configured to test with' })
  @ApiNotFoundResponse({ description: 'No provider of that name' })
  test(@Param('name') name: string, @Body() body: TestProviderDto): Promise<ProviderTestResult> {
    return this.providers.test(name, body.model);
  }

  @Get(':name/models')
  @ApiOperation({
    summary:
      'The upstream’s own model list, each flagged with whether the include/exclude lists let it through',
  })
  @ApiOkResponse({ type: ProviderModelsResultDto })
  @ApiNotFoundResponse({ description: 'No provider of that name' })
  models(@Param('name') name: string): Promise<ProviderModelsResult> {
    return this.providers.models(name);
  }
}
