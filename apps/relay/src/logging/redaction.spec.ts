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

  it('finds every credential shape, whatever else the text holds (the quick pre-check misses none)', () => {
    const shapes: Array<[string, string]> = [
      ['Bearer abcdefghijklmnop1234', 'Bearer [REDACTED]'],
      ['sk-ant-AAAAAAAAAAAAAAAAAAAAAAAA', '[REDACTED]'],
      ['sk-or-v1-AAAAAAAAAAAAAAAAAAAAAAAA', '[REDACTED]'],
      [`AIza${'B'.repeat(35)}`, '[REDACTED]'],
      ['gsk_AAAAAAAAAAAAAAAAAAAAAAAA', '[REDACTED]'],
      ['nvapi-AAAAAAAAAAAAAAAAAAAAAAAA', '[REDACTED]'],
      ['xai-AAAAAAAAAAAAAAAAAAAAAAAA', '[REDACTED]'],
      ['{"API_KEY": "hunter2hunter2"}', '{"API_KEY": "[REDACTED]"}'],
      ['{"Access-Key":"hunter2hunter2"}', '{"Access-Key":"[REDACTED]"}'],
      ['{"Authorization" : "Basic dXNlcjpwYXNz"}', '{"Authorization" : "[REDACTED]"}'],
      ['{"x-api-key":"hunter2hunter2"}', '{"x-api-key":"[REDACTED]"}'],
      ['{"password":"correct horse"}', '{"password":"[REDACTED]"}'],
      ['{"Secret":"hunter2hunter2"}', '{"Secret":"[REDACTED]"}'],
      ['{"TOKEN":"hunter2hunter2"}', '{"TOKEN":"[REDACTED]"}'],
    ];
    for (const [secret, redacted] of shapes) {
      assert.equal(redactSecrets(`before ${secret} after`, config), `before ${redacted} after`, secret);
    }
  });

  it('leaves ordinary text alone', () => {
    const text = '{"messages":[{"role":"user","content":"What is a token bucket?"}]}';
    assert.equal(redactSecrets(text, config), text);
  });
});
