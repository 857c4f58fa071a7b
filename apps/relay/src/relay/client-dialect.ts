import {
  anthropicError,
  anthropicErrorTypeForStatus,
  anthropicInBandError,
  openAiError,
  openAiErrorTypeForStatus,
  openAiInBandError,
  readOpenAiError,
  serializeSseMessages,
} from '@monorelay/llm-formats';
import type { FastifyReply } from 'fastify';
import type { AttemptFailure } from './attempt-failure';
import type { ErrorShape, StreamDialect } from './relay-endpoints';

/**
 * Errors in the shape the client's SDK expects: OpenAI's `{"error":{...}}` or Anthropic's
 * `{"type":"error","error":{...}}`. `openAiType` is OpenAI's error type; Anthropic's is derived
 * from the status.
 */
export function clientErrorBody(
  shape: ErrorShape,
  status: number,
  message: string,
  openAiType: string,
  code: string | null,
  param: string | null = null,
): object {
  return shape === 'anthropic'
    ? anthropicError(message, anthropicErrorTypeForStatus(status))
    : openAiError(message, openAiType, code, param);
}

/** Sends the error; returns the body sent (for the request log). */
export function sendClientError(
  reply: FastifyReply,
  shape: ErrorShape,
  status: number,
  message: string,
  openAiType: string,
  code: string | null,
  param: string | null = null,
): string {
  const body = JSON.stringify(clientErrorBody(shape, status, message, openAiType, code, param));
  reply.code(status).header('content-type', 'application/json').send(body);
  return body;
}

/** The event that ends a client's stream with an error (never followed by a success terminator). */
export function inBandError(dialect: StreamDialect, message: string, code: string): string {
  if (dialect === 'messages') return serializeSseMessages([anthropicInBandError(message, 'api_error')]);
  return openAiInBandError(dialect, message, 'api_error', code);
}

/**
 * An upstream error returned to the client as it is: the upstream's own bytes when it speaks the
 * client's API, else the same status and message in the client's error shape.
 */
export function sendUpstreamError(
  reply: FastifyReply,
  shape: ErrorShape,
  failed: AttemptFailure,
): Buffer | string {
  const status = failed.status ?? 400;
  const body = failed.body ?? Buffer.alloc(0);
  if (failed.bodyShape === undefined || failed.bodyShape === shape) {
    reply
      .code(status)
      .header('content-type', String(failed.headers?.['content-type'] ?? 'application/json'))
      .send(body);
    return body;
  }
  let info: ReturnType<typeof readOpenAiError>;
  try {
    info = readOpenAiError(JSON.parse(body.toString('utf8')));
  } catch {
    info = null;
  }
  const message = info?.message ?? (body.toString('utf8').trim() || `upstream returned ${status}`);
  return sendClientError(
    reply,
    shape,
    status,
    message,
    info?.type ?? openAiErrorTypeForStatus(status),
    info?.code ?? null,
  );
}
