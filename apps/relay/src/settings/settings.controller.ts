import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SettingsView } from '@monorelay/contracts';
import { RequireAccess } from '../auth/roles';
import { ConfigSource } from '../config/config-source';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { SettingsViewDto } from './dto/settings.dto';
import { settingsViewOf } from './settings-view';

/** The settings page's values (edited through `PATCH /api/config`). */
@ApiTags('Settings')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/settings')
@RequireAccess('admin')
@UseFilters(RelayExceptionFilter)
export class SettingsController {
  constructor(private readonly config: ConfigSource) {}

  @Get()
  @ApiOperation({
    summary:
      'Effective server, SSO, key selection, tool calling, logging and sign-up settings; secrets only as "set" flags',
  })
  @ApiOkResponse({ type: SettingsViewDto })
  get(): SettingsView {
    return settingsViewOf(this.config.current);
  }
}
