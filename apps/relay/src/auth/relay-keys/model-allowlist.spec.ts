import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelAllowlist } from './model-allowlist';

describe('modelAllowlist', () => {
  it('null allows any model', () => {
    assert.equal(modelAllowlist(null), null);
  });

  it('matches the requested model against any glob, fnmatch-style (case-insensitive, * crosses /)', () => {
    const allowed = modelAllowlist(['gpt-4o*', 'claude-*-4*', 'exact-model'])!;
    assert.equal(allowed('gpt-4o'), true);
    assert.equal(allowed('GPT-4o-mini'), true);
    assert.equal(allowed('claude-sonnet-4-5'), true);
    assert.equal(allowed('exact-model'), true);
    assert.equal(allowed('exact-model-2'), false);
    assert.equal(allowed('gpt-4.1'), false);
    assert.equal(allowed(''), false);
    assert.equal(modelAllowlist(['*llama*'])!('meta/llama-3'), true);
    assert.equal(modelAllowlist(['gpt-4o?'])!('gpt-4o1'), true);
  });

  it('a pinned model@provider passes on its model part, or on a glob naming the provider', () => {
    const allowed = modelAllowlist(['gpt-4o'])!;
    assert.equal(allowed('gpt-4o@openai'), true);
    assert.equal(allowed('gpt-4o-mini@openai'), false);
    const byProvider = modelAllowlist(['*@openai'])!;
    assert.equal(byProvider('anything@openai'), true);
    assert.equal(byProvider('anything@other'), false);
    assert.equal(byProvider('anything'), false);
  });
});
