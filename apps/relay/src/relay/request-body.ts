import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** The client's body was over the configured limit. */
export class BodyTooLargeError extends Error {
  readonly statusCode = 413;
  constructor(readonly limit: number) {
    super(`Request body is larger than the limit of ${limit} bytes.`);
  }
}

/**
 * How much of an over-limit body is read and thrown away before the 413 is sent. The connection is
 * closed after a 413 (the client may still be sending); closing on unread bytes resets the socket,
 * and a client or proxy (nginx: 502) still writing then sees a broken pipe instead of the answer.
 */
export const DISCARD_LIMITS = { bytes: 64 * 1024 * 1024, ms: 10_000 };

/**
 * Reads a request body into one Buffer. A body known to exceed `limit` (from Content-Length up
 * front, or while reading) is refused with BodyTooLargeError once the rest of it has been read and
 * discarded, within DISCARD_LIMITS.
 */
export function readBodyLimited(request: IncomingMessage, payload: Readable, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return discardThenRefuse(payload, limit, 0);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        payload.off('data', onData);
        payload.off('end', onEnd);
        payload.off('error', reject);
        chunks.length = 0;
        discardThenRefuse(payload, limit, size).catch(reject);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    payload.on('data', onData);
    payload.once('end', onEnd);
    payload.once('error', reject);
  });
}

function discardThenRefuse(payload: Readable, limit: number, alreadyRead: number): Promise<never> {
  return new Promise((_resolve, reject) => {
    let discarded = alreadyRead;
    const refuse = (): void => {
      clearTimeout(timer);
      payload.off('data', onData);
      payload.off('end', refuse);
      payload.off('error', refuse);
      payload.resume();
      reject(new BodyTooLargeError(limit));
    };
    const onData = (chunk: Buffer): void => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMITS.bytes) refuse();
    };
    const timer = setTimeout(refuse, DISCARD_LIMITS.ms);
    payload.on('data', onData);
    payload.once('end', refuse);
    payload.once('error', refuse);
    payload.resume();
  });
}

/** Reads an upstream response body fully (bounded in time by the dispatcher's body timeout). */
export async function readUpstreamBody(body: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<Buffer> {
  return Buffer.from(await body.arrayBuffer());
}
