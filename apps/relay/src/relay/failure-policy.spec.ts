import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultProviderConfig, defaultRetryConfig } from '../config/config-defaults';
import type { RetryConfig } from '../config/relay-config';
import { failure } from './attempt-failure';
import {
  FirstTokenTimeoutError,
  type TargetState,
  backoffMs,
  classifyTransportError,
  classifyUpstreamStatus,
  keyOutcomeFor,
  nextStep,
} from './failure-policy';

const json = (body: object): Buffer => Buffer.from(JSON.stringify(body));
const noReset = (): null => null;
const state = (extra: Partial<TargetState> = {}): TargetState => ({
  retries: 0,
  resetPromised: false,
  laterTargetWithOtherModel: false,
  ...extra,
});
const retryOn: RetryConfig = {
  ...defaultRetryConfig(),
  enabled: true,
  max_retries: 2,
  backoff_factor: 2,
  backoff_max: 10,
};

describe('classifyUpstreamStatus', () => {
  const provider = defaultProviderConfig();
  it('429 is a rate limit carrying the reset the provider announced', () => {
    const failed = classifyUpstreamStatus(429, { 'retry-after': '7' }, Buffer.alloc(0), provider, () => 7000);
    assert.equal(failed.outcome, 'rate_limited');
    assert.equal(failed.retryAfterMs, 7000);
  });

  it('401 and 403 are authentication failures', () => {
    assert.equal(classifyUpstreamStatus(401, {}, Buffer.alloc(0), provider, noReset).outcome, 'auth_failed');
    assert.equal(classifyUpstreamStatus(403, {}, Buffer.alloc(0), provider, noReset).outcome, 'auth_failed');
  });

  it('5xx are server errors', () => {
    for (const status of [500, 502, 503, 504]) {
      assert.equal(
        classifyUpstreamStatus(status, {}, Buffer.alloc(0), provider, noReset).outcome,
        'server_error',
      );
    }
  });

  it('recognises a context-length 400 by code or by message', () => {
    const byCode = json({
      error: { message: 'too long', type: 'invalid_request_error', code: 'context_length_exceeded' },
    });
    const byText = json({
      error: { message: "This model's maximum context length is 8192 tokens", code: null },
    });
    assert.equal(classifyUpstreamStatus(400, {}, byCode, provider, noReset).outcome, 'context_length');
    assert.equal(classifyUpstreamStatus(400, {}, byText, provider, noReset).outcome, 'context_length');
  });

  it('other 4xx, content policy included, are the client’s own errors', () => {
    const policy = json({
      error: { message: 'flagged', type: 'invalid_request_error', code: 'content_policy_violation' },
    });
    assert.equal(classifyUpstreamStatus(400, {}, policy, provider, noReset).outcome, 'client_error');
    assert.equal(
      classifyUpstreamStatus(404, {}, Buffer.from('nope'), provider, noReset).outcome,
      'client_error',
    );
    assert.equal(classifyUpstreamStatus(413, {}, Buffer.alloc(0), provider, noReset).outcome, 'client_error');
  });

  it('the ignore policy returns matching errors as they are, whatever the status', () => {
    const ignoring = { ...provider, ignore: { enabled: true, ignore_errors: ['content_filter'] } };
    const body = json({ error: { message: 'filtered', type: 'content_filter' } });
    assert.equal(classifyUpstreamStatus(500, {}, body, ignoring, noReset).outcome, 'client_error');
  });
});

describe('classifyTransportError', () => {
  it('header and body timeouts are timeouts; the first-token timer is its own kind', () => {
    assert.equal(classifyTransportError({ code: 'UND_ERR_HEADERS_TIMEOUT' }, 5).outcome, 'timeout');
    assert.equal(classifyTransportError({ code: 'UND_ERR_BODY_TIMEOUT' }, 5).outcome, 'timeout');
    assert.equal(classifyTransportError(new FirstTokenTimeoutError(3), 5).outcome, 'first_token_timeout');
  });

  it('refused and reset connections are connection errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const failed = classifyTransportError(refused, 5);
    assert.equal(failed.outcome, 'connection_error');
    assert.match(failed.detail, /ECONNREFUSED/);
    assert.equal(
      classifyTransportError({ code: 'UND_ERR_SOCKET', message: 'other side closed' }, 5).outcome,
      'connection_error',
    );
  });
});

describe('the failure table: key outcome and next step', () => {
  it('429: the key cools until the reset; next key at once', () => {
    const failed = failure('rate_limited', '429', { status: 429, retryAfterMs: 2000 });
    assert.deepEqual(keyOutcomeFor(failed), { kind: 'rate_limited', retryAfterMs: 2000 });
    assert.deepEqual(nextStep(failed, defaultRetryConfig(), state()), { action: 'next_key' });
  });

  it('429 with no key free: waits only when retry is on and the reset promise fits in backoff_max', () => {
    const noKey = failure('no_key', 'cooling', { retryAfterMs: 3000, keyReason: 'cooling' });
    assert.deepEqual(nextStep(noKey, retryOn, state({ resetPromised: true })), {
      action: 'wait_for_key',
      delayMs: 3000,
    });
    assert.deepEqual(nextStep(noKey, defaultRetryConfig(), state({ resetPromised: true })), {
      action: 'next_target',
    });
    assert.deepEqual(nextStep(noKey, retryOn, state({ resetPromised: false })), { action: 'next_target' });
    const tooLong = { ...noKey, retryAfterMs: 11_000 };
    assert.deepEqual(nextStep(tooLong, retryOn, state({ resetPromised: true })), { action: 'next_target' });
  });

  it('5xx: back-off for the key; same provider after backoff_factor^n when retry is on, else next target', () => {
    const failed = failure('server_error', '503', { status: 503 });
    assert.deepEqual(keyOutcomeFor(failed), { kind: 'server_error' });
    assert.deepEqual(nextStep(failed, defaultRetryConfig(), state()), { action: 'next_target' });
    assert.deepEqual(nextStep(failed, retryOn, state()), { action: 'retry_provider', delayMs: 1000 });
    assert.deepEqual(nextStep(failed, retryOn, state({ retries: 1 })), {
      action: 'retry_provider',
      delayMs: 2000,
    });
    assert.deepEqual(nextStep(failed, retryOn, state({ retries: 2 })), { action: 'next_target' });
    const notListed = failure('server_error', '501', { status: 501 });
    assert.deepEqual(nextStep(notListed, retryOn, state()), { action: 'next_target' });
  });

  it('connection refused/reset: like 5xx', () => {
    const failed = failure('connection_error', 'ECONNRESET');
    assert.deepEqual(keyOutcomeFor(failed), { kind: 'server_error' });
    assert.deepEqual(nextStep(failed, retryOn, state()), { action: 'retry_provider', delayMs: 1000 });
  });

  it('no headers within timeout / no first token: key backs off; next target at once, never retried', () => {
    for (const outcome of ['timeout', 'first_token_timeout'] as const) {
      const failed = failure(outcome, 'silent');
      assert.deepEqual(keyOutcomeFor(failed), { kind: 'timeout' });
      assert.deepEqual(nextStep(failed, retryOn, state()), { action: 'next_target' });
    }
  });

  it('401/403: the key is out; next key', () => {
    const failed = failure('auth_failed', '401', { status: 401 });
    assert.deepEqual(keyOutcomeFor(failed), { kind: 'auth_failed' });
    assert.deepEqual(nextStep(failed, retryOn, state()), { action: 'next_key' });
  });

  it('400 context length: no cooling; next target with another model, else the 400', () => {
    const failed = failure('context_length', '400', { status: 400 });
    assert.deepEqual(keyOutcomeFor(failed), { kind: 'client_error' });
    assert.deepEqual(nextStep(failed, retryOn, state({ laterTargetWithOtherModel: true })), {
      action: 'next_target',
    });
    assert.deepEqual(nextStep(failed, retryOn, state()), { action: 'return_to_client' });
  });

  it('other 4xx: returned as is, never retried, rotated or cascaded', () => {
    const failed = failure('client_error', '400', { status: 400 });
    assert.deepEqual(keyOutcomeFor(failed), { kind: 'client_error' });
    assert.deepEqual(nextStep(failed, retryOn, state({ laterTargetWithOtherModel: true })), {
      action: 'return_to_client',
    });
  });

  it('backoff grows by backoff_factor and is capped by backoff_max', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffMs(retryOn, n)),
      [1000, 2000, 4000, 8000, 10000, 10000],
    );
  });
});
