import { openAiError } from '@monorelay/llm-formats';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';

export const RELAY_HEADERS = {
  provider: 'x-monorelay-provider',
  model: 'x-monorelay-model',
  attempts: 'x-monorelay-attempts',
} as const;

/** Says which target served (or last failed) and how many upstream attempts were made. */
export function setRoutingHeaders(
  reply: FastifyReply,
  provider: string | null,
  model: string | null,
  attempts: number,
): void {
  if (provider) reply.header(RELAY_HEADERS.provider, provider);
  if (model) reply.header(RELAY_HEADERS.model, model);
  reply.header(RELAY_HEADERS.attempts, String(attempts));
}

export function sendOpenAiError(
  reply: FastifyReply,
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): void {
  reply
    .code(status)
    .header('content-type', 'application/json')
    .send(JSON.stringify(openAiError(message, type, code, param)));
}

const SSE_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/**
 * Takes the response away from Fastify and sets the SSE headers, keeping headers already set on the
 * reply (request id, CORS, routing headers). Does nothing when the stream is already committed.
 * Every caller writes an event or a comment right after: the headers leave with it, in one write.
 */
export function commitEventStream(reply: FastifyReply): void {
  // already committed (a local model's loading comments went first)
  if (reply.raw.headersSent) return;
  reply.hijack();
  const headers: OutgoingHttpHeaders = { ...(reply.getHeaders() as OutgoingHttpHeaders), ...SSE_HEADERS };
  if (reply.request.raw.httpVersionMajor === 1) headers.connection = 'keep-alive';
  reply.raw.writeHead(200, headers);
}
