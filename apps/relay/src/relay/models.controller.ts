import { Controller, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayAuthGuard } from '../auth/relay-auth.guard';
import { ConfigSource } from '../config/config-source';
import { sendOpenAiError } from './client-reply';
import { modelCatalog } from './model-catalog';
import { RelayExceptionFilter } from './relay-exception.filter';

@ApiTags('OpenAI-compatible relay')
@ApiBearerAuth()
@Controller('v1/models')
@UseGuards(RelayAuthGuard)
@UseFilters(RelayExceptionFilter)
export class ModelsController {
  constructor(private readonly config: ConfigSource) {}

  @Get()
  @ApiOperation({
    summary: 'Models of enabled providers as model@provider, plus aliases (a relay key: those it may use)',
  })
  list(@Req() request: FastifyRequest): { object: 'list'; data: ReturnType<typeof modelCatalog> } {
    const catalog = modelCatalog(this.config.current);
    const allowed = request.relayKey?.modelAllowed;
    return { object: 'list', data: allowed ? catalog.filter((card) => allowed(card.id)) : catalog };
  }

  @Get('*')
  @ApiOperation({ summary: 'One model by id (ids may contain slashes)' })
  one(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const prefix = '/v1/models/';
    const path = request.url.split('?', 1)[0];
    const id = decodeURIComponent(path.slice(path.indexOf(prefix) + prefix.length));
    const card = modelCatalog(this.config.current).find((model) => model.id === id);
    if (!card) {
      sendOpenAiError(
        reply,
        404,
        `The model '${id}' does not exist`,
        'invalid_request_error',
        'model_not_found',
        'model',
      );
      return;
    }
    reply.send(card);
  }
}
