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
 * Reads a request body into one Buffer, refusing it as soon as it is known to exceed `limit`
 * (from Content-Length up front, or while reading).
 */
export function readBodyLimited(request: IncomingMessage, payload: Readable, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    payload.resume();
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    payload.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    payload.once('error', reject);
  });
}

/** Reads an upstream response body fully (bounded in time by the dispatcher's body timeout). */
export async function readUpstreamBody(body: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<Buffer> {
  return Buffer.from(await body.arrayBuffer());
}
