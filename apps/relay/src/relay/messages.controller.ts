import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayAuthGuard } from '../auth/relay-auth.guard';
import { CountTokensService } from './count-tokens.service';
import { RelayExceptionFilter } from './relay-exception.filter';
import { ENDPOINTS } from './relay-endpoints';
import { InvalidRelayRequestError, readRelayRequest } from './relay-input';
import { RelayService } from './relay.service';

/** The Anthropic-compatible API surface: `x-api-key` or Bearer auth, Anthropic's error shape. */
@ApiTags('Anthropic-compatible relay')
@ApiBearerAuth()
@ApiSecurity('x-api-key')
@ApiHeader({
  name: 'anthropic-version',
  required: false,
  description: 'Passed through to Anthropic upstreams',
})
@ApiHeader({ name: 'anthropic-beta', required: false, description: 'Passed through to Anthropic upstreams' })
@Controller('v1/messages')
@UseGuards(RelayAuthGuard)
@UseFilters(RelayExceptionFilter)
export class MessagesController {
  constructor(
    private readonly relay: RelayService,
    private readonly tokens: CountTokensService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Anthropic Messages (stream or not), to any upstream: translated when it speaks OpenAI',
  })
  async messages(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    let input;
    try {
      input = await readRelayRequest(ENDPOINTS.messages, request, reply, this.relay.defaultModel);
    } catch (error) {
      if (error instanceof InvalidRelayRequestError)
        return this.relay.reject(ENDPOINTS.messages, request, reply, error);
      throw error;
    }
    await this.relay.relay(input);
  }

  @Post('count_tokens')
  @HttpCode(200)
  @ApiOperation({ summary: 'Input tokens of a Messages request for the resolved target' })
  async countTokens(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    let input;
    try {
      input = await readRelayRequest(ENDPOINTS.messages, request, reply, this.relay.defaultModel);
    } catch (error) {
      if (error instanceof InvalidRelayRequestError)
        return this.relay.reject(ENDPOINTS.messages, request, reply, error);
      throw error;
    }
    await this.tokens.count(input);
  }
}
