import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultProviderConfig, defaultProviderKeyConfig, defaultRelayConfig } from './config-defaults';
import { type ConfigIssue, ConfigValidationError, formatIssue } from './config-issue';
import { buildTestConfig, parseRelayConfig } from './parse-relay-config';

function errorsOf(raw: unknown): string[] {
  const result = parseRelayConfig(raw);
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return (result as { errors: ConfigIssue[] }).errors.map(formatIssue);
}

function warningsOf(raw: unknown): string[] {
  return parseRelayConfig(raw).warnings.map(formatIssue);
}

describe('parseRelayConfig: error paths', () => {
  it('names nested, list and map paths exactly', () => {
    const errors = errorsOf({
      server: { port: 70000 },
      providers: {
        openrouter: { keys: [{ key: 'a' }, { key: 'b', weight: -1 }] },
      },
      model_routing: {
        cascade: { max_retries: 1.5 },
        aliases: { fast: 3 },
        provider_mapping: { 'gpt-*': ['openrouter'] },
      },
    });
    assert.deepEqual(errors, [
      'server.port: must be an integer between 0 and 65535 (got 70000)',
      'providers.openrouter.keys[1].weight: must be a number >= 0 (got -1)',
      'model_routing.aliases.fast: must be a string (got number 3; quote it in YAML)',
      'model_routing.provider_mapping["gpt-*"]: must be a string (got a list)',
      'model_routing.cascade.max_retries: must be an integer >= 0 (got 1.5)',
    ]);
  });

  it('reports every error at once, across blocks and providers', () => {
    const errors = errorsOf({
      server: { host: '', access_key_enabled: 'maybe', cors_origins: ['*', 5] },
      providers: {
        a: { provider_type: 'grpc', base_url: 'ftp://files.example.com', timeout: 0 },
        b: null,
        c: { keys: ['sk-1', 42], retry: { retry_on_status: [429, 700] }, models: { include: 'gpt-4o' } },
        d: { keys: [{ label: 'no key here', expires_at: 'next tuesday' }] },
      },
      key_selection: { strategy: 'least-used' },
      model_routing: { global_params: { mode: 'merge' }, model_params: [{ params: {} }] },
      logging: { max_age_days: -1 },
      relay: { trusted_proxies: ['10.0.0.0/8', '10.0.0.0/99'], max_attempts: 0 },
      redis: { url: 'http://redis:6379' },
    });
    assert.deepEqual(errors, [
      'server.host: must be a host name or address such as 0.0.0.0',
      "server.access_key_enabled: must be true or false (got 'maybe')",
      'server.cors_origins[1]: must be a string (got number 5; quote it in YAML)',
      'providers.b: must be a mapping (got nothing)',
      "providers.a.provider_type: must be one of api, anthropic, web_reverse, local (got 'grpc')",
      'providers.a.base_url: must be an http(s) URL such as https://api.example.com/v1',
      'providers.a.timeout: must be a number > 0 (got 0)',
      'providers.c.keys[1]: must be a mapping or a string (got 42)',
      "providers.c.models.include: must be a list of strings (got 'gpt-4o')",
      'providers.c.retry.retry_on_status[1]: must be an integer between 100 and 599 (got 700)',
      'providers.d.keys[0].key: is required',
      'providers.d.keys[0].expires_at: must be an ISO 8601 date such as 2026-12-31 or 2026-12-31T23:59:59Z',
      "model_routing.global_params.mode: must be one of default, override (got 'merge')",
      'model_routing.model_params[0].model_pattern: is required',
      "key_selection.strategy: must be one of round-robin, random, weighted (got 'least-used')",
      'logging.max_age_days: must be an integer >= 0 (got -1)',
      'relay.max_attempts: must be an integer >= 1 (got 0)',
      'relay.trusted_proxies[1]: must be an IP address or a CIDR range such as 10.0.0.0/8',
      'redis.url: must be a redis:// or rediss:// URL',
    ]);
  });

  it('rejects a block of the wrong shape without noise from inside it', () => {
    assert.deepEqual(errorsOf({ providers: ['openrouter'] }), [
      'providers: must be a mapping of provider names to provider settings (got a list)',
    ]);
    assert.deepEqual(errorsOf({ server: 'localhost' }), ["server: must be a mapping (got 'localhost')"]);
    assert.deepEqual(errorsOf({ providers: { a: { keys: { key: 'x' } } } }), [
      'providers.a.keys: must be a list of keys (got a mapping)',
    ]);
    assert.deepEqual(errorsOf(['server']), [
      'the document must be a mapping of settings (server:, providers:, ...)',
    ]);
  });

  it('never echoes a long string value in a message', () => {
    const secret = 'sk-or-v1-0123456789abcdef0123456789abcdef';
    const errors = errorsOf({ providers: { a: { keys: [{ key: secret, weight: secret }] } } });
    assert.equal(errors.length, 1);
    assert.ok(!errors[0].includes(secret), errors[0]);
  });
});

describe('parseRelayConfig: unknown keys', () => {
  it('warns with the path and a suggestion, and still loads', () => {
    const raw = {
      server: { prot: 9000 },
      providers: { openrouter: { timout: 30, keys: [{ key: 'k', lable: 'main' }] } },
      jobs: { enabled: true },
    };
    const result = parseRelayConfig(raw);
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings.map(formatIssue), [
      'jobs: unknown key, ignored',
      "server.prot: unknown key, ignored (did you mean 'port'?)",
      "providers.openrouter.timout: unknown key, ignored (did you mean 'timeout'?)",
      "providers.openrouter.keys[0].lable: unknown key, ignored (did you mean 'label'?)",
    ]);
    assert.ok(result.warnings.every((w) => w.code === 'unknown-key'));
    const config = (result as { config: ReturnType<typeof defaultRelayConfig> }).config;
    assert.equal(config.server.port, 8787);
    assert.equal(config.providers.openrouter.timeout, 120);
    assert.ok(!('timout' in config.providers.openrouter));
  });

  it('warns about provider_mapping entries naming an undefined provider', () => {
    assert.deepEqual(warningsOf({ model_routing: { provider_mapping: { 'gpt-*': 'openruoter' } } }), [
      'model_routing.provider_mapping["gpt-*"]: provider \'openruoter\' is not defined under providers; this mapping never matches',
    ]);
  });
});

describe('parseRelayConfig: normalization', () => {
  it('gives the full defaults for an empty or null document', () => {
    for (const raw of [{}, null, undefined]) {
      const result = parseRelayConfig(raw);
      assert.ok(result.ok);
      assert.deepEqual(result.config, defaultRelayConfig());
      assert.deepEqual(result.warnings, []);
    }
  });

  it('accepts the defaults themselves without warnings (every default key has a DTO field)', () => {
    const full = defaultRelayConfig();
    full.providers.sample = { ...defaultProviderConfig(), keys: [defaultProviderKeyConfig()] };
    full.providers.sample.web_reverse = { pow_difficulty: '00003a' };
    full.model_routing.model_params = [{ model_pattern: 'x*', params: {}, system_prompt: '' }];
    full.model_routing.payload_transformation.rules = [
      { models: ['x'], inject_params: {}, override_params: {} },
    ];
    const result = parseRelayConfig(full);
    assert.deepEqual(result.warnings.map(formatIssue), []);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  });

  it('fills defaults deeply, per provider and per key', () => {
    const config = buildTestConfig({
      providers: {
        openrouter: {
          base_url: 'https://openrouter.ai/api/v1',
          keys: [{ key: 'sk-1', weight: 3 }],
          retry: { enabled: true },
        },
      },
    });
    const provider = config.providers.openrouter;
    assert.deepEqual(provider.keys, [{ ...defaultProviderKeyConfig(), key: 'sk-1', weight: 3 }]);
    assert.deepEqual(provider.retry, { ...defaultProviderConfig().retry, enabled: true });
    assert.equal(provider.timeout, 120);
    assert.deepEqual(provider.models, { include: [], exclude: [] });
    assert.equal(provider.web_reverse, null);
  });

  it('expands string keys into key objects', () => {
    const config = buildTestConfig({
      providers: { groq: { keys: ['gsk-1', { key: 'gsk-2', label: 'b' }] } },
    });
    assert.deepEqual(
      config.providers.groq.keys.map((k) => [k.key, k.label, k.weight, k.enabled]),
      [
        ['gsk-1', 'default', 1, true],
        ['gsk-2', 'b', 1, true],
      ],
    );
  });

  it('takes numbers and booleans written as strings', () => {
    const config = buildTestConfig({
      server: { port: '9000', access_key_enabled: 'no' },
      providers: { a: { timeout: '30.5', enabled: 'yes', keys: [{ key: 'k', weight: '2' }] } },
    });
    assert.equal(config.server.port, 9000);
    assert.equal(config.server.access_key_enabled, false);
    assert.equal(config.providers.a.timeout, 30.5);
    assert.equal(config.providers.a.enabled, true);
    assert.equal(config.providers.a.keys[0].weight, 2);
  });

  it('treats a null block as absent', () => {
    const config = buildTestConfig({
      model_routing: { aliases: null, cascade: null },
      providers: { a: { models: null } },
    });
    assert.deepEqual(config.model_routing.aliases, {});
    assert.deepEqual(config.model_routing.cascade, defaultRelayConfig().model_routing.cascade);
    assert.deepEqual(config.providers.a.models, { include: [], exclude: [] });
  });

  it('maps MonoRelay log levels onto pino levels', () => {
    assert.equal(buildTestConfig({ server: { log_level: 'WARNING' } }).server.log_level, 'warn');
    assert.equal(buildTestConfig({ server: { log_level: 'INFO' } }).server.log_level, 'info');
    assert.equal(buildTestConfig({ server: { log_level: 'CRITICAL' } }).server.log_level, 'fatal');
  });

  it('keeps map order (provider_mapping is ordered) and fills web_reverse defaults', () => {
    const config = buildTestConfig({
      providers: {
        web: { provider_type: 'web_reverse', web_reverse: { conversation_only: true } },
        a: {},
        b: {},
      },
      model_routing: { provider_mapping: { 'z-*': 'a', 'a-*': 'b', 'gpt-*': 'a' } },
    });
    assert.deepEqual(Object.keys(config.model_routing.provider_mapping), ['z-*', 'a-*', 'gpt-*']);
    assert.deepEqual(Object.keys(config.providers), ['web', 'a', 'b']);
    assert.equal(config.providers.web.web_reverse?.conversation_only, true);
    assert.equal(config.providers.web.web_reverse?.pow_difficulty, '00003a');
  });

  it('returns a deeply frozen snapshot', () => {
    const config = buildTestConfig({ providers: { a: { keys: ['k'], params: { extra: { deep: 1 } } } } });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.providers.a.keys[0]));
    assert.ok(Object.isFrozen(config.providers.a.params.extra));
    assert.ok(Object.isFrozen(config.server.cors_origins));
    assert.throws(() => {
      (config.server as { port: number }).port = 1;
    }, TypeError);
  });

  it('does not share objects with the input', () => {
    const raw = { providers: { a: { params: { temperature: 1 } } } };
    const config = buildTestConfig(raw);
    raw.providers.a.params.temperature = 2;
    assert.equal(config.providers.a.params.temperature, 1);
    assert.ok(!Object.isFrozen(raw.providers.a.params));
  });
});

describe('buildTestConfig', () => {
  it('throws with every error joined', () => {
    assert.throws(
      () => buildTestConfig({ server: { port: -1 }, key_selection: { strategy: 'x' } }),
      (error: unknown) =>
        error instanceof ConfigValidationError &&
        error.issues.length === 2 &&
        error.message.includes('server.port: must be an integer between 0 and 65535') &&
        error.message.includes('key_selection.strategy: must be one of'),
    );
  });

  it('treats unknown keys as errors so test typos do not pass silently', () => {
    assert.throws(
      () => buildTestConfig({ providers: { a: { timout: 1 } } }),
      /providers\.a\.timout: unknown key/,
    );
  });

  it('does not read process.env unless given an env', () => {
    assert.equal(buildTestConfig({ server: { port: 1234 } }).server.port, 1234);
    assert.equal(buildTestConfig({ server: { port: 1234 } }, { PORT: '4321' }).server.port, 4321);
  });
});
