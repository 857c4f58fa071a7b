import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssue } from './config-issue';
import { parseRelayConfig } from './parse-relay-config';
import { type RelayConfig } from './relay-config';

const file = { server: { host: '10.0.0.1', port: 9000, log_level: 'debug', access_key: 'from-file' } };

function configOf(result: ReturnType<typeof parseRelayConfig>): RelayConfig {
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.config;
}

describe('env and CLI overrides', () => {
  it('precedence: default < file < env < CLI', () => {
    assert.equal(configOf(parseRelayConfig({})).server.port, 8787);
    assert.equal(configOf(parseRelayConfig(file)).server.port, 9000);
    assert.equal(configOf(parseRelayConfig(file, { PORT: '9100' })).server.port, 9100);
    assert.equal(configOf(parseRelayConfig(file, { PORT: '9100' }, { port: 9200 })).server.port, 9200);
    assert.equal(configOf(parseRelayConfig({}, {}, { port: 0 })).server.port, 0);

    assert.equal(configOf(parseRelayConfig(file)).server.host, '10.0.0.1');
    assert.equal(configOf(parseRelayConfig(file, { HOST: '127.0.0.1' })).server.host, '127.0.0.1');
    assert.equal(configOf(parseRelayConfig(file, { HOST: '127.0.0.1' }, { host: '::' })).server.host, '::');
  });

  it('applies MONORELAY_ACCESS_KEY, LOG_LEVEL, DATABASE_URL and REDIS_URL', () => {
    const config = configOf(
      parseRelayConfig(file, {
        MONORELAY_ACCESS_KEY: 'from-env',
        LOG_LEVEL: 'WARNING',
        DATABASE_URL: 'postgres://relay:pw@db:5432/monorelay',
        REDIS_URL: 'redis://cache:6379/0',
      }),
    );
    assert.equal(config.server.access_key, 'from-env');
    assert.equal(config.server.log_level, 'warn');
    assert.equal(config.database.url, 'postgres://relay:pw@db:5432/monorelay');
    assert.equal(config.redis.url, 'redis://cache:6379/0');
  });

  it('ignores empty variables', () => {
    const config = configOf(parseRelayConfig(file, { PORT: '', HOST: '', MONORELAY_ACCESS_KEY: '' }));
    assert.equal(config.server.port, 9000);
    assert.equal(config.server.host, '10.0.0.1');
    assert.equal(config.server.access_key, 'from-file');
  });

  it('names the variable of a bad value, and reports them all', () => {
    const result = parseRelayConfig(file, {
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'cache:6379',
      DATABASE_URL: 'not a url with secret-password',
    });
    assert.equal(result.ok, false);
    const messages = !result.ok ? result.errors.map(formatIssue) : [];
    assert.deepEqual(messages, [
      "$PORT: must be an integer between 0 and 65535 (got 'abc')",
      '$LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent, warning, critical',
      '$DATABASE_URL: must be a URL',
      '$REDIS_URL: must be a redis:// or rediss:// URL',
    ]);
    assert.ok(!result.ok && result.errors.every((e) => e.code === 'env-override' && e.variable));
  });
});
