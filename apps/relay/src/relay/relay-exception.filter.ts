import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { openAiErrorTypeForStatus } from '@monorelay/llm-formats';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../auth/api-error';
import { RelayAuthError } from '../auth/relay-auth.error';
import { DatabaseUnavailableError } from '../database/managed-data-source';
import { clientErrorBody } from './client-dialect';
import type { ErrorShape } from './relay-endpoints';
import { InvalidRelayRequestError } from './relay-input';

/** Anthropic-format routes answer errors in Anthropic's shape; everything else in OpenAI's. */
export function errorShapeOf(url: string): ErrorShape {
  return url.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

/** Answers every error on the relay's surface in the client API's error shape with a meaningful status. */
@Catch()
export class RelayExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    answerRelayError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

const logger = new Logger('RelayApi');

/** The filter's answer, also used by the routes served outside Nest's pipeline (`relay-routes.ts`). */
export function answerRelayError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toClientError(exception, request);
  if (status === 401) logger.warn(`401 for ${request.method} ${request.url} from ${request.ip}`);
  if (status >= 500) {
    logger.error(`${request.method} ${request.url}: ${(exception as Error)?.stack ?? String(exception)}`);
  }
  if (reply.sent || reply.raw.headersSent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  reply.code(status).header('content-type', 'application/json').send(JSON.stringify(body));
}

export function toClientError(exception: unknown, request: FastifyRequest): { status: number; body: object } {
  const shape = errorShapeOf(request.url);
  const answer = (
    status: number,
    message: string,
    type: string,
    code: string | null,
    param: string | null = null,
  ) => ({
    status,
    body: clientErrorBody(shape, status, message, type, code, param),
  });
  if (exception instanceof NotFoundException && exception.message.startsWith('Cannot ')) {
    const path = request.url.split('?', 1)[0];
    const message = path.startsWith('/v1/')
      ? `Unknown endpoint ${request.method} ${path}: this relay serves the OpenAI and Anthropic APIs under /v1.`
      : `Not found: ${request.method} ${path}`;
    return answer(404, message, 'invalid_request_error', 'unknown_url');
  }
  if (exception instanceof RelayAuthError) {
    return answer(401, exception.message, 'authentication_error', 'invalid_api_key');
  }
  if (exception instanceof InvalidRelayRequestError) {
    return answer(400, exception.message, 'invalid_request_error', exception.code, exception.param);
  }
  if (exception instanceof RangeError) {
    return answer(400, exception.message, 'invalid_request_error', 'invalid_range');
  }
  if (exception instanceof ApiError) {
    const status = exception.getStatus();
    return answer(status, exception.message, openAiErrorTypeForStatus(status), exception.code);
  }
  if (exception instanceof DatabaseUnavailableError) {
    return answer(
      503,
      'The relay’s database is not available; try again shortly.',
      'api_error',
      'database_unavailable',
    );
  }
  const status = httpStatusOf(exception);
  if (status !== null && status < 500) {
    const message = httpMessageOf(exception);
    return answer(status, message, openAiErrorTypeForStatus(status), errorCodeOf(exception));
  }
  return answer(500, 'The relay failed to process this request.', 'api_error', 'internal_error');
}

/** Nest's validation errors carry their messages as a list in the response body. */
function httpMessageOf(exception: unknown): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const detail =
      typeof response === 'object' && response ? (response as { message?: unknown }).message : null;
    if (Array.isArray(detail)) return detail.join('; ');
    if (typeof detail === 'string') return detail;
  }
  return exception instanceof Error ? exception.message : 'Bad request';
}

function httpStatusOf(exception: unknown): number | null {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : null;
}

function errorCodeOf(exception: unknown): string | null {
  const status = httpStatusOf(exception);
  if (status === 413) return 'request_too_large';
  if (status === 415) return 'unsupported_media_type';
  const code = (exception as { code?: unknown })?.code;
  return typeof code === 'string' ? code.toLowerCase() : null;
}
