import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestConfig } from '../config/parse-relay-config';
import { prepareLocalBody, sessionIdOf } from './local-request';

describe('sessionIdOf', () => {
  it('takes the first of session-id, session_id, x-session-affinity, x-client-request-id', () => {
    assert.equal(sessionIdOf({ 'x-client-request-id': 'd', 'session-id': 'a' }), 'a');
    assert.equal(sessionIdOf({ 'x-client-request-id': 'd', session_id: 'b' }), 'b');
    assert.equal(sessionIdOf({ 'x-client-request-id': 'd', 'x-session-affinity': 'c' }), 'c');
    assert.equal(sessionIdOf({ 'x-client-request-id': 'd' }), 'd');
    assert.equal(sessionIdOf({ 'session-id': '  ' }), null);
    assert.equal(sessionIdOf({}), null);
  });
});

describe('prepareLocalBody', () => {
  const settings = (policy: string) =>
    buildTestConfig({
      lifecycle: {
        unknown_field_policy: policy,
        sampling: { temperature: 0.7, repeat_penalty: 1.1 },
        models: { m: { cmd: 'true', sampling: { temperature: 0.3 } } },
      },
    }).lifecycle;
  const body = { model: 'm', messages: [], store: true, top_p: 0.5 };

  it('pass_through keeps unknown fields; defaults fill only what the client omitted', () => {
    const result = prepareLocalBody(body, 'm', settings('pass_through'));
    assert.ok(result.ok);
    assert.deepEqual(result.body, { ...body, temperature: 0.3, repeat_penalty: 1.1 });
    assert.equal(result.changed, true);
  });

  it('strip removes unknown fields and says which', () => {
    const result = prepareLocalBody(body, 'other', settings('strip'));
    assert.ok(result.ok);
    assert.equal(result.body.store, undefined);
    assert.equal(result.body.temperature, 0.7);
    assert.deepEqual(result.stripped, ['store']);
  });

  it('reject names the field', () => {
    const result = prepareLocalBody(body, 'm', settings('reject'));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'store');
  });

  it('changes nothing when there is nothing to do', () => {
    const plain = { model: 'm', messages: [] };
    const result = prepareLocalBody(plain, 'x', buildTestConfig({}).lifecycle);
    assert.ok(result.ok);
    assert.equal(result.changed, false);
    assert.equal(result.body, plain);
  });
});
