import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPreset } from './provider-presets';

describe('findPreset', () => {
  it('matches by base_url host first', () => {
    assert.equal(findPreset('my-router', 'https://openrouter.ai/api/v1')?.id, 'openrouter');
    assert.equal(findPreset('openrouter', 'http://127.0.0.1:9999/v1'), null);
  });

  it('matches by provider name when base_url is empty', () => {
    assert.equal(findPreset('nvidia', '')?.baseUrl, 'https://integrate.api.nvidia.com/v1');
    assert.equal(findPreset('Deep_Seek', '')?.id, 'deepseek');
    assert.equal(findPreset('groq', '')?.baseUrl, 'https://api.groq.com/openai/v1');
    assert.equal(findPreset('mystery', ''), null);
  });

  it('keeps the protocols apart: the anthropic preset is only for provider_type anthropic', () => {
    assert.equal(findPreset('anthropic', ''), null);
    assert.equal(findPreset('claude', '', 'anthropic')?.baseUrl, 'https://api.anthropic.com');
    assert.equal(findPreset('x', 'https://api.anthropic.com/v1', 'anthropic')?.authHeader, 'x-api-key');
    assert.equal(findPreset('x', 'https://api.openai.com/v1', 'anthropic'), null);
  });
});
