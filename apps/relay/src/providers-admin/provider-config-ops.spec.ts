import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asObject, keyFieldEdits, providerFieldEdits } from './provider-config-ops';

describe('provider config edits', () => {
  it('spell the given fields as config.yml settings; null removes a setting; absent fields are left alone', () => {
    assert.deepEqual(
      providerFieldEdits({
        baseUrl: 'https://x/v1',
        timeout: 9,
        firstTokenTimeout: null,
        modelsInclude: ['a'],
      }),
      [
        [['base_url'], 'https://x/v1'],
        [['timeout'], 9],
        [['first_token_timeout'], undefined],
        [['models', 'include'], ['a']],
      ],
    );
    assert.deepEqual(
      keyFieldEdits({ label: 'l', quotaLimit: null, rateLimitRps: 2, expiresAt: '2030-01-01' }),
      [
        [['label'], 'l'],
        [['quota_limit'], undefined],
        [['rate_limit_rps'], 2],
        [['expires_at'], '2030-01-01'],
      ],
    );
  });

  it('asObject nests paths and leaves removals out (for a new provider or key)', () => {
    const edits = providerFieldEdits({ enabled: false, testModel: null, modelsExclude: ['*-mini'] });
    assert.deepEqual(asObject(edits), { enabled: false, models: { exclude: ['*-mini'] } });
  });
});
