import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayAuthGuard } from '../auth/relay-auth.guard';
import { RelayExceptionFilter } from './relay-exception.filter';
import { ENDPOINTS, type EndpointSpec } from './relay-endpoints';
import { InvalidRelayRequestError, readRelayRequest } from './relay-input';
import { RelayService } from './relay.service';

/** The OpenAI-compatible API surface (`/v1`). */
@ApiTags('OpenAI-compatible relay')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(RelayAuthGuard)
@UseFilters(RelayExceptionFilter)
export class RelayController {
  constructor(private readonly relay: RelayService) {}

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Chat completion (stream or not), routed through aliases, keys and fallbacks' })
  chatCompletions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.chat, request, reply);
  }

  @Post('completions')
  @ApiOperation({ summary: 'Legacy text completion' })
  completions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.completions, request, reply);
  }

  @Post('embeddings')
  @ApiOperation({ summary: 'Embeddings' })
  embeddings(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.embeddings, request, reply);
  }

  @Post('responses')
  @ApiOperation({ summary: 'OpenAI Responses API, to upstreams that serve it' })
  responses(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.responses, request, reply);
  }

  @Post('moderations')
  @ApiOperation({ summary: 'Moderation' })
  moderations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.moderations, request, reply);
  }

  @Post('images/generations')
  @ApiOperation({ summary: 'Image generation' })
  imageGenerations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.images, request, reply);
  }

  @Post('audio/speech')
  @ApiOperation({ summary: 'Text to speech (binary audio answer)' })
  audioSpeech(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.audioSpeech, request, reply);
  }

  @Post('audio/transcriptions')
  @ApiOperation({ summary: 'Speech to text (multipart upload)' })
  audioTranscriptions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.audioTranscriptions, request, reply);
  }

  @Post('audio/translations')
  @ApiOperation({ summary: 'Speech translation to English (multipart upload)' })
  audioTranslations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(ENDPOINTS.audioTranslations, request, reply);
  }

  private async handle(spec: EndpointSpec, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    let input;
    try {
      input = await readRelayRequest(spec, request, reply, this.relay.defaultModel);
    } catch (error) {
      if (error instanceof InvalidRelayRequestError) return this.relay.reject(spec, request, reply, error);
      throw error;
    }
    await this.relay.relay(input);
  }
}
