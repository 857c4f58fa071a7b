import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { BodyTooLargeError, DISCARD_LIMITS, readBodyLimited } from './request-body';

const withLength = (length?: number) =>
  ({ headers: length === undefined ? {} : { 'content-length': String(length) } }) as IncomingMessage;

/** Whether the promise has settled after the pending I/O callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('readBodyLimited', () => {
  const defaults = { ...DISCARD_LIMITS };
  afterEach(() => Object.assign(DISCARD_LIMITS, defaults));

  it('reads a body within the limit into one Buffer', async () => {
    const payload = new PassThrough();
    const reading = readBodyLimited(withLength(), payload, 11);
    payload.write('hello ');
    payload.end('world');
    assert.equal((await reading).toString(), 'hello world');
  });

  it('refuses a body declared too large only after reading the rest of it', async () => {
    const payload = new PassThrough();
    const reading = readBodyLimited(withLength(100), payload, 10);
    payload.write('x'.repeat(60));
    assert.equal(await settled(reading), false, 'still reading what the client sends');
    payload.end('x'.repeat(40));
    await assert.rejects(
      reading,
      (error: unknown) => error instanceof BodyTooLargeError && error.limit === 10,
    );
    assert.equal(payload.readableEnded, true);
  });

  it('refuses a body that grows past the limit while read, after discarding the rest', async () => {
    const payload = new PassThrough();
    const reading = readBodyLimited(withLength(), payload, 10);
    payload.write('x'.repeat(8));
    payload.write('x'.repeat(8));
    assert.equal(await settled(reading), false);
    payload.end('x'.repeat(100));
    await assert.rejects(reading, BodyTooLargeError);
  });

  it('stops discarding after DISCARD_LIMITS.bytes', async () => {
    DISCARD_LIMITS.bytes = 50;
    const payload = new PassThrough();
    const reading = readBodyLimited(withLength(), payload, 10);
    payload.write('x'.repeat(30));
    assert.equal(await settled(reading), false);
    payload.write('x'.repeat(30));
    await assert.rejects(reading, BodyTooLargeError);
  });

  it('stops discarding after DISCARD_LIMITS.ms of a client that never finishes', async () => {
    DISCARD_LIMITS.ms = 30;
    const payload = new PassThrough();
    const reading = readBodyLimited(withLength(1000), payload, 10);
    payload.write('x'.repeat(20));
    const started = Date.now();
    await assert.rejects(reading, BodyTooLargeError);
    assert.ok(Date.now() - started < 1000);
  });
});
