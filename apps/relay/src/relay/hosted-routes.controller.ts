import { All, Controller, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayAuthGuard } from '../auth/relay-auth.guard';
import { sendOpenAiError } from './client-reply';
import { RelayExceptionFilter } from './relay-exception.filter';

/** OpenAI routes that keep state at the provider; a relay in front of many providers cannot serve them. */
const HOSTED_STATE = [
  'files',
  'batches',
  'assistants',
  'threads',
  'fine_tuning',
  'vector_stores',
  'uploads',
  'realtime',
  'containers',
  'evals',
];

/**
 * Answers hosted-state routes with a clear 404 (not 501: SDKs retry 5xx) instead of a crash or a
 * pass-through to an arbitrary provider.
 */
@ApiExcludeController()
@Controller('v1')
@UseGuards(RelayAuthGuard)
@UseFilters(RelayExceptionFilter)
export class HostedRoutesController {
  @All(HOSTED_STATE.flatMap((route) => [route, `${route}/*`]))
  unsupported(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const route = request.url.split('?', 1)[0].split('/')[2];
    sendOpenAiError(
      reply,
      404,
      `This relay does not serve /v1/${route}: it keeps state at one provider (files, batches, assistants, ` +
        'threads, fine-tuning, vector stores), which a relay in front of many providers cannot do. ' +
        'Call the provider directly for these.',
      'invalid_request_error',
      'unsupported_endpoint',
    );
  }
}
