import {
  Body,
  Controller,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  Res,
  UseFilters,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireAccess } from '../auth/roles';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import {
  type ConfigCheck,
  type ConfigEditorError,
  ConfigEditorService,
  type ConfigEditorView,
  type ConfigSaveResult,
} from './config-editor.service';
import {
  ConfigCheckDto,
  ConfigRejectedDto,
  ConfigSavedDto,
  ConfigViewDto,
  PatchConfigDto,
  SaveConfigDto,
  ValidateConfigDto,
} from './dto/config-editor.dto';

/**
 * The console's config.yml editor, for admins. Secrets (provider keys, access key, session and
 * OAuth secrets, tokens, passwords in URLs) are always answered as `********`; a `********` sent
 * back stands for the saved value at the same key path.
 */
@ApiTags('Config')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/config')
@RequireAccess('admin')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class ConfigEditorController {
  constructor(private readonly editor: ConfigEditorService) {}

  @Get()
  @ApiOperation({
    summary:
      'The editable config text (data/config.yml, else the main file, else the defaults), secrets masked',
  })
  @ApiOkResponse({ type: ConfigViewDto })
  get(): ConfigEditorView {
    return this.editor.view();
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Checks a config text: YAML syntax and every setting, each problem with its line',
  })
  @ApiOkResponse({ type: ConfigCheckDto })
  validate(@Body() body: ValidateConfigDto): ConfigCheck {
    return this.editor.validate(body.yaml);
  }

  @Patch()
  @ApiOperation({
    summary:
      'Structured edit: sets or removes values at key paths of the editable file, keeping its comments; then validated, saved and applied as a PUT',
  })
  @ApiOkResponse({ type: ConfigSavedDto })
  @ApiUnprocessableEntityResponse({ type: ConfigRejectedDto, description: 'Invalid: nothing was written' })
  @ApiConflictResponse({ type: ConfigRejectedDto, description: 'The file changed since `baseHash`' })
  patch(
    @Body() body: PatchConfigDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): (ConfigEditorView & { warnings: ConfigEditorError[] }) | ConfigRejectedDto {
    const ops = body.ops.map((op) => ({ path: op.path, value: op.remove === true ? undefined : op.value }));
    return this.answer(this.editor.patch(ops, body.baseHash), reply);
  }

  @Put()
  @ApiOperation({
    summary:
      'Saves to data/config.yml (atomically) and applies it at once; 422 with the problems when invalid',
  })
  @ApiOkResponse({ type: ConfigSavedDto })
  @ApiUnprocessableEntityResponse({ type: ConfigRejectedDto, description: 'Invalid: nothing was written' })
  @ApiConflictResponse({ type: ConfigRejectedDto, description: 'The file changed since `baseHash`' })
  save(
    @Body() body: SaveConfigDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): (ConfigEditorView & { warnings: ConfigEditorError[] }) | ConfigRejectedDto {
    return this.answer(this.editor.save(body.yaml, body.baseHash), reply);
  }

  private answer(
    result: ConfigSaveResult,
    reply: FastifyReply,
  ): (ConfigEditorView & { warnings: ConfigEditorError[] }) | ConfigRejectedDto {
    if (result.ok) return { ...result.view, warnings: result.warnings };
    reply.code(result.status);
    const conflict = result.status === 409;
    return {
      error: {
        message: conflict ? result.errors[0].message : 'invalid configuration: nothing was saved',
        type: 'invalid_request_error',
        code: conflict ? 'config_changed' : 'invalid_config',
      },
      errors: result.errors,
    };
  }
}
