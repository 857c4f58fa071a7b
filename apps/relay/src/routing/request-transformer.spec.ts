import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RelayConfig } from '../config/relay-config';
import type { JsonObject } from './body-draft';
import { RequestTransformer, transformRequest } from './request-transformer';
import type { RelayEndpoint, RouteTarget } from './route-plan';
import { configWith, providerWith } from './routing-test-helpers';

const ALL_ENDPOINTS: RelayEndpoint[] = [
  'chat',
  'completions',
  'embeddings',
  'responses',
  'moderations',
  'images',
  'audio_transcriptions',
  'audio_translations',
  'audio_speech',
  'messages',
];

function target(model: string, provider = 'p', stage: RouteTarget['stage'] = 'requested'): RouteTarget {
  return { provider, model, stage, why: 'test' };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Transforms a frozen copy of `body` (so any mutation of the input throws) and checks the input kept intact. */
function run(config: RelayConfig, body: JsonObject, endpoint: RelayEndpoint = 'chat', to = target('m')) {
  const before = structuredClone(body);
  const input = deepFreeze(structuredClone(body));
  const result = transformRequest(input, to, endpoint, config);
  assert.deepEqual(input, before);
  return result;
}

const chat = (extra: JsonObject = {}): JsonObject => ({
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('transformRequest: identity', () => {
  it('returns the very same body with changed=false when nothing applies', () => {
    const config = configWith({ p: providerWith() });
    for (const endpoint of ALL_ENDPOINTS) {
      const body = chat({ temperature: 0.2 });
      const result = transformRequest(body, target('m'), endpoint, config);
      assert.equal(result.body, body);
      assert.equal(result.changed, false);
    }
  });

  it('sets the target model when it differs, without touching the input', () => {
    const result = run(configWith({}), chat(), 'chat', target('upstream/m'));
    assert.equal(result.changed, true);
    assert.equal(result.body.model, 'upstream/m');
  });

  it('does not count forcing a param to its current value as a change', () => {
    const config = configWith({ p: providerWith({ params: { temperature: 0.2 } }) });
    const body = chat({ temperature: 0.2 });
    const result = transformRequest(body, target('m'), 'chat', config);
    assert.equal(result.body, body);
    assert.equal(result.changed, false);
  });

  it('works through the injectable class too', () => {
    const config = configWith({ p: providerWith({ params: { top_p: 1 } }) });
    assert.equal(new RequestTransformer().transform(chat(), target('m'), 'chat', config).body.top_p, 1);
  });
});

describe('transformRequest: model_routing.model_params', () => {
  const config = () =>
    configWith({}, (c) => {
      c.model_routing.model_params = [
        {
          model_pattern: 'qwen*',
          params: { temperature: 0.6, 'reasoning.effort': 'low' },
          system_prompt: 'Be brief.',
        },
        { model_pattern: '*', params: { temperature: 1 }, system_prompt: 'never applied to qwen' },
      ];
    });

  it('forces the params of the first matching pattern and inserts its system message first', () => {
    const body = chat({
      model: 'qwen3',
      temperature: 0.1,
      messages: [
        { role: 'system', content: 'S' },
        { role: 'user', content: 'u' },
      ],
    });
    const result = run(config(), body, 'chat', target('qwen3'));
    assert.equal(result.body.temperature, 0.6);
    assert.deepEqual(result.body.reasoning, { effort: 'low' });
    assert.deepEqual(result.body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'S' },
      { role: 'user', content: 'u' },
    ]);
  });

  it('applies even when model_routing.enabled is false (that flag governs model resolution only)', () => {
    const c = config();
    c.model_routing.enabled = false;
    assert.equal(run(c, chat(), 'chat', target('qwen3')).body.temperature, 0.6);
  });

  it('matches against the target model', () => {
    const result = run(config(), chat(), 'chat', target('llama'));
    assert.equal(result.body.temperature, 1);
  });
});

describe('transformRequest: payload_transformation', () => {
  const config = (enabled = true) =>
    configWith({}, (c) => {
      c.model_routing.payload_transformation = {
        enabled,
        rules: [
          {
            models: ['gpt-5*', 'o3*'],
            inject_params: { max_tokens: 100, 'reasoning.effort': 'high', 'reasoning.summary': 'auto' },
            override_params: { 'stream_options.include_usage': true, n: 1 },
          },
          { models: ['gpt-5-mini'], inject_params: { max_tokens: 5 }, override_params: { seed: 7 } },
          { models: [], inject_params: { never: true }, override_params: {} },
        ],
      };
    });

  it('injects absent params only, overrides always, and writes dotted keys as nested objects', () => {
    const body = chat({
      max_tokens: 10,
      n: 3,
      reasoning: { effort: 'minimal', other: 1 },
      stream_options: { x: 1 },
    });
    const result = run(config(), body, 'chat', target('gpt-5'));
    assert.equal(result.body.max_tokens, 10);
    assert.equal(result.body.n, 1);
    assert.deepEqual(result.body.reasoning, { effort: 'minimal', other: 1, summary: 'auto' });
    assert.deepEqual(result.body.stream_options, { x: 1, include_usage: true });
    assert.equal(result.body.never, undefined);
  });

  it('creates nested objects for dotted keys and applies every matching rule in order', () => {
    const result = run(config(), chat(), 'chat', target('gpt-5-mini'));
    assert.equal(result.body.max_tokens, 100);
    assert.equal(result.body.seed, 7);
    assert.deepEqual(result.body.reasoning, { effort: 'high', summary: 'auto' });
    assert.deepEqual(result.body.stream_options, { include_usage: true });
  });

  it('replaces a non-object on the way of a dotted key', () => {
    const result = run(config(), chat({ stream_options: 'bogus' }), 'chat', target('o3'));
    assert.deepEqual(result.body.stream_options, { include_usage: true });
  });

  it('is off when payload_transformation.enabled is false', () => {
    const body = chat();
    assert.equal(run(config(false), body, 'chat', target('m')).changed, false);
    assert.equal(run(config(false), body, 'chat', target('gpt-5')).body.n, undefined);
  });
});

describe('transformRequest: global_params', () => {
  const config = (mode: 'default' | 'override', enabled = true) =>
    configWith({}, (c) => {
      c.model_routing.global_params = {
        enabled,
        mode,
        params: { temperature: 0.5, 'metadata.team': 'core' },
        system_prompt: 'G',
      };
    });

  it('default mode fills missing params and prepends to the existing system message', () => {
    const body = chat({
      temperature: 0.9,
      messages: [
        { role: 'user', content: 'u' },
        { role: 'system', content: 'S1' },
        { role: 'system', content: 'S2' },
      ],
    });
    const result = run(config('default'), body);
    assert.equal(result.body.temperature, 0.9);
    assert.deepEqual(result.body.metadata, { team: 'core' });
    assert.deepEqual(result.body.messages, [
      { role: 'user', content: 'u' },
      { role: 'system', content: 'G\n\nS1' },
      { role: 'system', content: 'S2' },
    ]);
  });

  it('default mode prepends a text part to array content, or inserts a system message when none exists', () => {
    const blocks = run(
      config('default'),
      chat({ messages: [{ role: 'system', content: [{ type: 'text', text: 'S' }] }] }),
    );
    assert.deepEqual(blocks.body.messages, [
      {
        role: 'system',
        content: [
          { type: 'text', text: 'G' },
          { type: 'text', text: 'S' },
        ],
      },
    ]);
    const none = run(config('default'), chat());
    assert.deepEqual(none.body.messages, [
      { role: 'system', content: 'G' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('override mode forces params and replaces every system message', () => {
    const body = chat({
      temperature: 0.9,
      messages: [
        { role: 'system', content: 'S1' },
        { role: 'user', content: 'u' },
        { role: 'system', content: 'S2' },
      ],
    });
    const result = run(config('override'), body);
    assert.equal(result.body.temperature, 0.5);
    assert.deepEqual(result.body.messages, [
      { role: 'system', content: 'G' },
      { role: 'user', content: 'u' },
    ]);
  });

  it('is off when global_params.enabled is false', () => {
    assert.equal(run(config('override', false), chat()).changed, false);
  });
});

describe('transformRequest: provider params and system_prompt', () => {
  it('forces provider params and inserts the provider system prompt first', () => {
    const config = configWith({
      p: providerWith({ params: { temperature: 0, 'thinking.type': 'enabled' }, system_prompt: 'P' }),
    });
    const result = run(config, chat({ temperature: 1, messages: [{ role: 'system', content: 'S' }] }));
    assert.equal(result.body.temperature, 0);
    assert.deepEqual(result.body.thinking, { type: 'enabled' });
    assert.deepEqual(result.body.messages, [
      { role: 'system', content: 'P' },
      { role: 'system', content: 'S' },
    ]);
  });

  it("applies only the target provider's settings", () => {
    const config = configWith({ p: providerWith(), q: providerWith({ params: { temperature: 0 } }) });
    assert.equal(run(config, chat(), 'chat', target('m', 'p')).changed, false);
    assert.equal(run(config, chat(), 'chat', target('m', 'q')).body.temperature, 0);
  });

  it("applies the provider's own model_params (first match)", () => {
    const config = configWith({
      p: providerWith({
        model_params: [
          { model_pattern: 'deepseek-r*', params: { temperature: 0.6 }, system_prompt: 'R' },
          { model_pattern: '*', params: { temperature: 0.1 }, system_prompt: '' },
        ],
      }),
    });
    const result = run(config, chat(), 'chat', target('deepseek-r1'));
    assert.equal(result.body.temperature, 0.6);
    assert.deepEqual(result.body.messages, [
      { role: 'system', content: 'R' },
      { role: 'user', content: 'hi' },
    ]);
  });
});

describe('transformRequest: layer order', () => {
  const config = () =>
    configWith({ p: providerWith({ params: { top_p: 0.4 }, system_prompt: 'provider' }) }, (c) => {
      c.model_routing.model_params = [
        { model_pattern: 'm', params: { top_p: 0.1, a: 1 }, system_prompt: 'model' },
      ];
      c.model_routing.payload_transformation = {
        enabled: true,
        rules: [{ models: ['m'], inject_params: { a: 2, b: 2 }, override_params: { top_p: 0.2, c: 2 } }],
      };
      c.model_routing.global_params = {
        enabled: true,
        mode: 'default',
        params: { top_p: 0.3, b: 3, c: 3, d: 3 },
        system_prompt: 'global',
      };
    });

  it('runs model_params -> payload rules -> global_params -> provider params -> provider system prompt', () => {
    const result = run(config(), chat());
    assert.deepEqual(
      { top_p: result.body.top_p, a: result.body.a, b: result.body.b, c: result.body.c, d: result.body.d },
      { top_p: 0.4, a: 1, b: 2, c: 2, d: 3 },
    );
    assert.deepEqual(result.body.messages, [
      { role: 'system', content: 'provider' },
      { role: 'system', content: 'global\n\nmodel' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('lets global override mode replace the model_params system message', () => {
    const c = config();
    c.model_routing.global_params.mode = 'override';
    const result = run(c, chat());
    assert.equal(result.body.c, 3);
    assert.deepEqual(result.body.messages, [
      { role: 'system', content: 'provider' },
      { role: 'system', content: 'global' },
      { role: 'user', content: 'hi' },
    ]);
  });
});

describe('transformRequest: endpoints', () => {
  const config = (mode: 'default' | 'override' = 'default') =>
    configWith({ p: providerWith({ params: { temperature: 0 }, system_prompt: 'P' }) }, (c) => {
      c.model_routing.global_params = { enabled: true, mode, params: {}, system_prompt: 'G' };
    });

  it('responses: system prompts go to instructions', () => {
    const result = run(config(), { model: 'm', input: 'hi', instructions: 'I' }, 'responses');
    assert.equal(result.body.instructions, 'P\n\nG\n\nI');
    assert.equal(result.body.temperature, 0);
    assert.equal(
      run(config('override'), { model: 'm', input: 'hi', instructions: 'I' }, 'responses').body.instructions,
      'P\n\nG',
    );
    assert.equal(run(config(), { model: 'm', input: 'hi' }, 'responses').body.instructions, 'P\n\nG');
  });

  it('messages: system prompts go to the top-level system, as a string or blocks', () => {
    const asString = run(config(), { model: 'm', messages: [], system: 'S' }, 'messages');
    assert.equal(asString.body.system, 'P\n\nG\n\nS');
    const absent = run(config(), { model: 'm', messages: [] }, 'messages');
    assert.equal(absent.body.system, 'P\n\nG');
    const blocks = run(
      config(),
      {
        model: 'm',
        messages: [],
        system: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }],
      },
      'messages',
    );
    assert.deepEqual(blocks.body.system, [
      { type: 'text', text: 'P' },
      { type: 'text', text: 'G' },
      { type: 'text', text: 'S', cache_control: { type: 'ephemeral' } },
    ]);
    assert.equal(
      run(config('override'), { model: 'm', messages: [], system: [] }, 'messages').body.system,
      'P\n\nG',
    );
  });

  it('completions: params only, the prompt is left alone', () => {
    const result = run(config(), { model: 'm', prompt: 'once upon' }, 'completions');
    assert.deepEqual(result.body, { model: 'm', prompt: 'once upon', temperature: 0 });
  });

  it('other endpoints: only the model name', () => {
    for (const endpoint of ['embeddings', 'images', 'moderations', 'audio_speech'] as const) {
      const body = { model: 'm', input: 'x' };
      assert.equal(run(config(), body, endpoint).changed, false);
      assert.deepEqual(run(config(), body, endpoint, target('n')).body, { model: 'n', input: 'x' });
    }
  });
});

describe('transformRequest: tool_calling.auto_downgrade', () => {
  const config = (autoDowngrade = true) =>
    configWith({}, (c) => {
      c.tool_calling = {
        auto_downgrade: autoDowngrade,
        unsupported_models: ['meta/llama-3.1-*', '*-no-tools'],
      };
    });
  const withTools = (): JsonObject => ({
    model: 'x',
    messages: [],
    tools: [{ type: 'function', function: { name: 'f' } }],
    tool_choice: 'auto',
    functions: [{ name: 'f' }],
    function_call: 'auto',
    parallel_tool_calls: true,
  });

  it('removes every tool field for unsupported models on every endpoint', () => {
    for (const endpoint of ALL_ENDPOINTS) {
      const result = run(config(), withTools(), endpoint, target('META/llama-3.1-8b-instruct'));
      for (const field of ['tools', 'tool_choice', 'functions', 'function_call', 'parallel_tool_calls']) {
        assert.ok(!(field in result.body), `${endpoint} kept ${field}`);
      }
      assert.deepEqual(result.body.messages, []);
    }
  });

  it('removes them for cascade targets too, judged by the target model', () => {
    const result = run(config(), withTools(), 'chat', target('fallback-no-tools', 'p', 'cascade'));
    assert.equal(result.body.tools, undefined);
    assert.equal(result.body.model, 'fallback-no-tools');
  });

  it('keeps tools for other models and when auto_downgrade is off', () => {
    const body = { ...withTools(), model: 'gpt-4o' };
    assert.equal(run(config(), body, 'chat', target('gpt-4o')).changed, false);
    const off = { ...withTools(), model: 'meta/llama-3.1-8b' };
    assert.equal(run(config(false), off, 'chat', target('meta/llama-3.1-8b')).changed, false);
  });

  it('reports no change when an unsupported model is sent no tools', () => {
    const body = { model: 'meta/llama-3.1-8b', messages: [] };
    assert.equal(run(config(), body, 'chat', target('meta/llama-3.1-8b')).changed, false);
  });
});
