import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failure } from './attempt-failure';
import { finalClientError } from './final-error';

describe('finalClientError', () => {
  it('all rate limited: 429 with the soonest recovery, rounded up to seconds', () => {
    const error = finalClientError(
      [
        failure('rate_limited', 'a', { retryAfterMs: 4200 }),
        failure('no_key', 'b', { retryAfterMs: 2100, keyReason: 'cooling' }),
      ],
      60_000,
    );
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterSeconds, 3);
  });

  it('rate limits without any reset fall back to the provider cooldown', () => {
    const error = finalClientError([failure('rate_limited', 'a')], 30_000);
    assert.equal(error.retryAfterSeconds, 30);
  });

  it('the last failure that is not a rate limit decides otherwise', () => {
    const error = finalClientError(
      [failure('timeout', 'slow'), failure('rate_limited', 'busy', { retryAfterMs: 1 })],
      1,
    );
    assert.equal(error.status, 504);
    assert.equal(finalClientError([failure('connection_error', 'refused')], 1).status, 502);
    assert.equal(finalClientError([failure('server_error', '503', { status: 503 })], 1).status, 503);
  });

  it('auth failures become 502 naming the cause; no key left after 401s too', () => {
    assert.equal(finalClientError([failure('auth_failed', '[p] 401')], 1).status, 502);
    const noKey = finalClientError([failure('no_key', '[p] none', { keyReason: 'auth_failed' })], 1);
    assert.equal(noKey.status, 502);
    assert.match(noKey.message, /\[p\]/);
  });

  it('a provider resting after 5xx answers 503 with Retry-After, not a rate limit', () => {
    const error = finalClientError(
      [failure('no_key', '[p] resting', { keyReason: 'backing_off', retryAfterMs: 1500 })],
      1,
    );
    assert.equal(error.status, 503);
    assert.equal(error.code, 'upstream_backing_off');
    assert.equal(error.retryAfterSeconds, 2);
  });

  it('a context-length 400 with nowhere else to go is passed through', () => {
    const failed = failure('context_length', '400', { status: 400, body: Buffer.from('{}') });
    assert.equal(finalClientError([failed], 1).passThrough, failed);
  });
});
