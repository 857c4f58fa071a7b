import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { applyConfigPatch } from './config-patch';

const FILE = `# my relay
server:
  port: 8787 # the port
providers:
  openai:
    keys:
      - key: sk-one
        label: one
`;

function patched(text: string, ops: Parameters<typeof applyConfigPatch>[1]): string {
  const result = applyConfigPatch(text, ops);
  assert.ok(result.ok, 'patch applies');
  return result.text;
}

describe('applyConfigPatch', () => {
  it('sets values and keeps comments and untouched keys as written', () => {
    const text = patched(FILE, [
      { path: ['providers', 'openai', 'enabled'], value: false },
      { path: ['providers', 'openai', 'keys', 0, 'weight'], value: 3 },
    ]);
    assert.match(text, /^# my relay/);
    assert.match(text, /port: 8787 # the port/);
    const parsed = parse(text);
    assert.equal(parsed.providers.openai.enabled, false);
    assert.deepEqual(parsed.providers.openai.keys[0], { key: 'sk-one', label: 'one', weight: 3 });
  });

  it('creates missing maps and lists on the way, and appends to a list', () => {
    const text = patched(FILE, [
      { path: ['providers', 'groq', 'keys', 0], value: { key: 'gsk-a' } },
      { path: ['providers', 'openai', 'keys', 1], value: { key: 'sk-two' } },
      { path: ['model_routing', 'aliases', 'fast'], value: 'gpt-4o-mini' },
    ]);
    const parsed = parse(text);
    assert.deepEqual(parsed.providers.groq.keys, [{ key: 'gsk-a' }]);
    assert.equal(parsed.providers.openai.keys[1].key, 'sk-two');
    assert.equal(parsed.model_routing.aliases.fast, 'gpt-4o-mini');
  });

  it('removes a key when the value is undefined, and ignores a path that is not there', () => {
    const text = patched(FILE, [{ path: ['providers', 'openai'] }, { path: ['sso', 'enabled'] }]);
    assert.deepEqual(parse(text).providers, {});
    assert.match(text, /# my relay/);
  });

  it('starts from an empty file', () => {
    const text = patched('', [{ path: ['key_selection', 'strategy'], value: 'weighted' }]);
    assert.deepEqual(parse(text), { key_selection: { strategy: 'weighted' } });
  });

  it('replaces a scalar on the way by a map', () => {
    const text = patched('logging: off\n', [{ path: ['logging', 'max_age_days'], value: 7 }]);
    assert.deepEqual(parse(text), { logging: { max_age_days: 7 } });
  });

  it('refuses a text that does not parse', () => {
    const result = applyConfigPatch('server: [unclosed\n', [{ path: ['a'], value: 1 }]);
    assert.equal(result.ok, false);
  });
});
