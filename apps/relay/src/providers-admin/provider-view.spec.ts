import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultProviderConfig, defaultProviderKeyConfig } from '../config/config-defaults';
import type { KeyStateView } from '../keys/key-lease';
import { keyIdFor } from '../keys/key-id';
import { NO_STATS, envReferenceOf, healthOf, maskKey, toProviderView } from './provider-view';

const state = (overrides: Partial<KeyStateView>): KeyStateView => ({
  provider: 'p',
  keyId: 'p:0',
  label: '',
  enabled: true,
  state: 'available',
  cooldownUntil: null,
  consecutiveFailures: 0,
  successCount: 0,
  quotaLimit: 0,
  ...overrides,
});

describe('provider view', () => {
  it('masks keys as first 3 + ... + last 4, and short keys entirely', () => {
    assert.equal(maskKey('sk-abcdefgh1234'), 'sk-...1234');
    assert.equal(maskKey('sk-abcdefgh'), '********');
    assert.equal(envReferenceOf('${OPENAI_KEY}'), '${OPENAI_KEY}');
    assert.equal(envReferenceOf('sk-literal'), null);
  });

  it('joins config keys to their live state by key id; env references are not masked from the value', () => {
    const config = defaultProviderConfig();
    config.keys = [
      { ...defaultProviderKeyConfig(), key: 'sk-first-key-0001', label: 'a' },
      { ...defaultProviderKeyConfig(), key: 'expanded-secret-value', label: 'b', quota_limit: 5 },
    ];
    const view = toProviderView({
      name: 'p',
      config,
      rawKeys: ['sk-first-key-0001', '${SECOND}'],
      keyStates: [
        state({ keyId: keyIdFor('p', 'sk-first-key-0001'), state: 'cooling', cooldownUntil: 123 }),
        state({ keyId: keyIdFor('p', 'expanded-secret-value'), successCount: 4 }),
      ],
      stats: NO_STATS,
    });
    assert.deepEqual(
      view.keys.map((key) => [key.masked, key.envReference, key.state, key.cooldownUntil, key.quotaLimit]),
      [
        ['sk-...0001', null, 'cooling', 123, null],
        ['********', '${SECOND}', 'available', null, 5],
      ],
    );
    assert.ok(!JSON.stringify(view).includes('expanded-secret-value'));
    assert.equal(view.health, 'degraded');
  });

  it('health: disabled, down without a leasable key, degraded on errors >= 20 %', () => {
    const available = [state({})];
    assert.equal(healthOf(false, available, NO_STATS), 'disabled');
    assert.equal(healthOf(true, [state({ state: 'auth_failed' })], NO_STATS), 'down');
    assert.equal(
      healthOf(true, available, { ...NO_STATS, requests: 10, errors: 2, errorRate: 0.2 }),
      'degraded',
    );
    assert.equal(
      healthOf(true, available, { ...NO_STATS, requests: 10, errors: 1, errorRate: 0.1 }),
      'healthy',
    );
  });
});
