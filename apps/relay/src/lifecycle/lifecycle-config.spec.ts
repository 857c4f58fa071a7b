import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssue } from '../config/config-issue';
import { parseRelayConfig } from '../config/parse-relay-config';

describe('lifecycle configuration', () => {
  it('fills defaults (Relay’s documented ones) and gives a local provider the lifecycle models', () => {
    const result = parseRelayConfig({
      providers: {
        gpu: { provider_type: 'local' },
        pinned: { provider_type: 'local', models: { include: ['a'] } },
      },
      lifecycle: { enabled: true, models: { a: { cmd: 'run-a', ctx_size: 4096 }, b: { cmd: 'run-b' } } },
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    const { lifecycle, providers } = result.config;
    assert.equal(lifecycle.port_base, 8081);
    assert.equal(lifecycle.idle_shutdown_ms, 3_600_000);
    assert.equal(lifecycle.start_timeout_ms, 120_000);
    assert.equal(lifecycle.max_warm_models, 2);
    assert.deepEqual(lifecycle.circuit_breaker, { threshold: 3, window_ms: 300_000, cooldown_ms: 120_000 });
    assert.equal(lifecycle.models.b.ctx_size, 4096);
    assert.equal(lifecycle.models.b.sampling.temperature, null);
    assert.deepEqual(providers.gpu.models.include, ['a', 'b']);
    assert.deepEqual(providers.pinned.models.include, ['a']);
  });

  it('names the key path of every error', () => {
    const result = parseRelayConfig({
      lifecycle: {
        port_base: 70000,
        unknown_field_policy: 'drop',
        models: { a: { ctx_size: 0 }, b: { cmd: 'x', health_url: 'nope' } },
        circuit_breaker: { threshold: 0 },
      },
    });
    assert.equal(result.ok, false);
    const paths = !result.ok ? result.errors.map((error) => error.path).sort() : [];
    assert.deepEqual(paths, [
      'lifecycle.circuit_breaker.threshold',
      'lifecycle.models.a.cmd',
      'lifecycle.models.a.ctx_size',
      'lifecycle.models.b.health_url',
      'lifecycle.port_base',
      'lifecycle.unknown_field_policy',
    ]);
    assert.ok(
      !result.ok && result.errors.map(formatIssue).some((text) => /models\.a\.cmd.*required/.test(text)),
    );
  });

  it('maps the "Relay" gateway variables', () => {
    const result = parseRelayConfig(
      { providers: { gpu: { provider_type: 'local' } } },
      {
        RELAY_MODEL_LIFECYCLE_ENABLED: 'true',
        RELAY_MODEL_MAP: JSON.stringify({
          qwen: { cmd: '/start-qwen.sh', ctx_size: 262144, multimodal: true },
        }),
        RELAY_MODEL_PORT_BASE: '9100',
        RELAY_MODEL_IDLE_SHUTDOWN_MS: '5000',
        RELAY_SWITCH_MAX_WARM_MODELS: '1',
        RELAY_SERIALIZE_REQUESTS: 'true',
        RELAY_LIFECYCLE_CIRCUIT_BREAKER_THRESHOLD: '5',
        RELAY_UNKNOWN_FIELD_POLICY: 'strip',
        DEFAULT_MODEL: 'qwen',
        DEFAULT_TEMPERATURE: '0.6',
        DEFAULT_REPETITION_PENALTY: '1.05',
      },
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    const { lifecycle, providers } = result.config;
    assert.equal(lifecycle.enabled, true);
    assert.equal(lifecycle.models.qwen.ctx_size, 262144);
    assert.equal(lifecycle.models.qwen.multimodal, true);
    assert.equal(lifecycle.port_base, 9100);
    assert.equal(lifecycle.idle_shutdown_ms, 5000);
    assert.equal(lifecycle.max_warm_models, 1);
    assert.equal(lifecycle.serialize_requests, true);
    assert.equal(lifecycle.circuit_breaker.threshold, 5);
    assert.equal(lifecycle.unknown_field_policy, 'strip');
    assert.equal(lifecycle.default_model, 'qwen');
    assert.equal(lifecycle.sampling.temperature, 0.6);
    assert.equal(lifecycle.sampling.repeat_penalty, 1.05);
    assert.deepEqual(providers.gpu.models.include, ['qwen']);
  });

  it("keeps ${PORT}, ${LLAMA_PORT} and ${MODEL} in model commands for each start (not the relay's PORT)", () => {
    const result = parseRelayConfig(
      {
        lifecycle: {
          models: {
            a: { cmd: 'serve --port ${PORT} -m ${MODEL} --key ${API_KEY}', stop_cmd: 'stop ${LLAMA_PORT}' },
          },
        },
      },
      { PORT: '8787', API_KEY: 'k' },
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(result.config.lifecycle.models.a.cmd, 'serve --port ${PORT} -m ${MODEL} --key k');
    assert.equal(result.config.lifecycle.models.a.stop_cmd, 'stop ${LLAMA_PORT}');
  });

  it('rejects a bad RELAY_MODEL_MAP without echoing its commands', () => {
    const result = parseRelayConfig({}, { RELAY_MODEL_MAP: '{"a": {"cmd": "secret-token-cmd"}}' });
    assert.equal(result.ok, false);
    const text = !result.ok ? result.errors.map(formatIssue).join('\n') : '';
    assert.match(text, /RELAY_MODEL_MAP/);
    assert.match(text, /ctx_size/);
    assert.doesNotMatch(text, /secret-token-cmd/);
  });
});
