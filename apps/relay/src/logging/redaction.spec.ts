import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultProviderConfig,
  defaultProviderKeyConfig,
  defaultRelayConfig,
} from '../config/config-defaults';
import { redactSecrets } from './redaction';

describe('redactSecrets', () => {
  const config = defaultRelayConfig();
  config.server.access_key = 'mr-my-access-key-123';
  config.providers.p = {
    ...defaultProviderConfig(),
    keys: [{ ...defaultProviderKeyConfig(), key: 'custom-upstream-secret' }],
  };

  it('removes configured secrets verbatim wherever they appear', () => {
    const text = '{"note":"key is custom-upstream-secret and mr-my-access-key-123"}';
    assert.equal(redactSecrets(text, config), '{"note":"key is [REDACTED] and [REDACTED]"}');
  });

  it('removes things shaped like credentials', () => {
    assert.equal(
      redactSecrets('Authorization: Bearer abcdefghijklmnop1234', config),
      'Authorization: Bearer [REDACTED]',
    );
    assert.equal(redactSecrets('use sk-proj-AAAAAAAAAAAAAAAAAAAAAAAA now', config), 'use [REDACTED] now');
    assert.equal(redactSecrets('{"api_key": "hunter2hunter2"}', config), '{"api_key": "[REDACTED]"}');
  });

  it('leaves ordinary text alone', () => {
    const text = '{"messages":[{"role":"user","content":"What is a token bucket?"}]}';
    assert.equal(redactSecrets(text, config), text);
  });
});
