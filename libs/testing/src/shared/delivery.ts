// Sends an endpoint's reply with the timing and faults its behaviour asks for.
import type { OutgoingHttpHeaders } from 'node:http';
import type { Exchange } from './exchange';
import type { Reply, SseScript } from './reply';
import { planStream } from './stream-plan';
import type { AnyBehaviour, DeliveryOptions, StatusBehaviourOf } from './types';

const JSON_TYPE = 'application/json';
const SSE_TYPE = 'text/event-stream; charset=utf-8';

export function sendError<E>(
  exchange: Exchange<E>,
  status: number,
  error: E,
  extraHeaders?: Record<string, string>,
): void {
  const body = exchange.dialect.errorBody(error, exchange.requestId);
  const headers = exchange.headers(JSON_TYPE, false);
  headers['content-length'] = Buffer.byteLength(body);
  if (extraHeaders) addHeaders(headers, extraHeaders);
  exchange.writeHead(status, headers);
  exchange.res.end(body);
}

export function sendStatus<E>(exchange: Exchange<E>, behaviour: StatusBehaviourOf<E>): void {
  if (behaviour.rawBody === undefined) {
    const error = { ...exchange.dialect.errorForStatus(behaviour.status), ...behaviour.error };
    sendError(exchange, behaviour.status, error, behaviour.headers);
    return;
  }
  const headers = exchange.headers(behaviour.contentType ?? 'text/html; charset=utf-8', false);
  headers['content-length'] = Buffer.byteLength(behaviour.rawBody);
  if (behaviour.headers) addHeaders(headers, behaviour.headers);
  exchange.writeHead(behaviour.status, headers);
  exchange.res.end(behaviour.rawBody);
}

function addHeaders(headers: OutgoingHttpHeaders, extra: Record<string, string>): void {
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
}

/** `behaviour` is one of the answering kinds (not status, hang or reset). */
export async function deliver<E>(
  exchange: Exchange<E>,
  reply: Reply<E>,
  behaviour: AnyBehaviour<E>,
  options: DeliveryOptions,
): Promise<void> {
  if (reply.type === 'error') {
    sendError(exchange, reply.status, reply.error);
    return;
  }
  if (options.delayMs !== undefined && options.delayMs > 0 && !(await exchange.pause(options.delayMs)))
    return;
  if (reply.type === 'stream') await playStream(exchange, reply.script, behaviour, options.chunkDelayMs ?? 0);
  else await sendWhole(exchange, reply, behaviour);
}

async function playStream<E>(
  exchange: Exchange<E>,
  script: SseScript<E>,
  behaviour: AnyBehaviour<E>,
  chunkDelayMs: number,
): Promise<void> {
  const { frames, ending } = planStream(script, behaviour);
  const firstTokenDelayMs = behaviour.kind === 'slowFirstToken' ? behaviour.delayMs : 0;
  const { res } = exchange;
  const { keepAlive } = script;
  exchange.writeHead(200, exchange.headers(SSE_TYPE, true));

  if (chunkDelayMs <= 0 && firstTokenDelayMs <= 0) {
    const all = frames.join('');
    if (ending === 'end') res.end(all);
    else if (ending === 'cut') writeThen(exchange, all, () => exchange.cut());
    else {
      if (all !== '') res.write(all);
      else res.flushHeaders();
      if (keepAlive) exchange.keepAliveUntilClosed(keepAlive);
    }
    return;
  }

  res.flushHeaders();
  for (let i = 0; i < frames.length; i++) {
    if (i > 0 && !(await exchange.pause(chunkDelayMs, keepAlive))) return;
    if (i === script.firstContentIndex && !(await exchange.pause(firstTokenDelayMs, keepAlive))) return;
    res.write(frames[i]);
  }
  if (ending === 'end') res.end();
  else if (ending === 'cut') exchange.cut();
  else if (keepAlive) exchange.keepAliveUntilClosed(keepAlive);
}

function writeThen<E>(exchange: Exchange<E>, data: string | Buffer, then: () => void): void {
  if (data.length === 0) then();
  else exchange.res.write(data, () => then());
}

/** Non-stream answers; stream faults apply to the body (half a body, a truncated one, an error in a 200). */
async function sendWhole<E>(
  exchange: Exchange<E>,
  reply: Extract<Reply<E>, { type: 'json' | 'bytes' }>,
  behaviour: AnyBehaviour<E>,
): Promise<void> {
  const isJson = reply.type === 'json';
  const payload = isJson ? JSON.stringify(reply.body) : reply.body;
  const headers = exchange.headers(isJson ? JSON_TYPE : reply.contentType, true);
  const { res } = exchange;

  switch (behaviour.kind) {
    case 'slowFirstToken':
      headers['content-length'] = Buffer.byteLength(payload);
      exchange.writeHead(200, headers);
      res.flushHeaders();
      if (await exchange.pause(behaviour.delayMs)) res.end(payload);
      return;
    case 'cutStream':
    case 'stallStream': {
      const bytes = Buffer.from(payload);
      headers['content-length'] = bytes.length;
      exchange.writeHead(200, headers);
      const half = bytes.subarray(0, Math.floor(bytes.length / 2));
      if (behaviour.kind === 'cutStream') writeThen(exchange, half, () => exchange.cut());
      else if (half.length > 0) res.write(half);
      else res.flushHeaders();
      return;
    }
    case 'malformedEvent': {
      const bytes = Buffer.from(payload);
      const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
      headers['content-length'] = truncated.length;
      exchange.writeHead(200, headers);
      res.end(truncated);
      return;
    }
    case 'errorEvent': {
      const body = exchange.dialect.errorBody(
        exchange.dialect.inBandError(behaviour.error),
        exchange.requestId,
      );
      headers['content-type'] = JSON_TYPE;
      headers['content-length'] = Buffer.byteLength(body);
      exchange.writeHead(200, headers);
      res.end(body);
      return;
    }
    default:
      headers['content-length'] = Buffer.byteLength(payload);
      exchange.writeHead(200, headers);
      res.end(payload);
  }
}
