import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssue } from './config-issue';
import { expandEnvReferences } from './env-expansion';
import { buildTestConfig, parseRelayConfig } from './parse-relay-config';

describe('expandEnvReferences', () => {
  const env = { KEY: 'sk-secret', EMPTY: '', HOST: 'relay.internal' };

  it('replaces ${VAR} anywhere in a string value', () => {
    const { value, issues } = expandEnvReferences(
      { a: '${KEY}', b: 'https://${HOST}:8443/v1', c: ['x-${KEY}'] },
      env,
    );
    assert.deepEqual(value, { a: 'sk-secret', b: 'https://relay.internal:8443/v1', c: ['x-sk-secret'] });
    assert.deepEqual(issues, []);
  });

  it('uses ${VAR:-default} when VAR is unset or empty', () => {
    const { value } = expandEnvReferences(
      {
        unset: '${NOPE:-fallback}',
        empty: '${EMPTY:-fallback}',
        set: '${KEY:-fallback}',
        blank: '${NOPE:-}',
      },
      env,
    );
    assert.deepEqual(value, { unset: 'fallback', empty: 'fallback', set: 'sk-secret', blank: '' });
  });

  it('keeps $${VAR} as a literal and leaves keys, numbers and malformed references alone', () => {
    const { value, issues } = expandEnvReferences(
      { '${KEY}': 1, literal: '$${KEY}', partial: '${ not a ref', dollar: '$KEY', n: 5, b: true, z: null },
      env,
    );
    assert.deepEqual(value, {
      '${KEY}': 1,
      literal: '${KEY}',
      partial: '${ not a ref',
      dollar: '$KEY',
      n: 5,
      b: true,
      z: null,
    });
    assert.deepEqual(issues, []);
  });

  it('an empty variable without default expands to the empty string', () => {
    assert.deepEqual(expandEnvReferences('${EMPTY}', env).value, '');
  });

  it('reports an unset variable with its key path and name', () => {
    const { issues } = expandEnvReferences(
      { providers: { openrouter: { keys: [{ key: '${OPENROUTER_API_KEY}' }] } } },
      env,
    );
    assert.equal(issues.length, 1);
    assert.equal(issues[0].path, 'providers.openrouter.keys[0].key');
    assert.equal(issues[0].variable, 'OPENROUTER_API_KEY');
    assert.match(
      formatIssue(issues[0]),
      /^providers\.openrouter\.keys\[0\]\.key: environment variable OPENROUTER_API_KEY is not set/,
    );
  });
});

describe('parseRelayConfig with ${VAR}', () => {
  it('feeds expanded values through validation (numbers from env become numbers)', () => {
    const config = buildTestConfig(
      {
        server: { port: '${RELAY_PORT:-8080}' },
        providers: { a: { keys: ['${A_KEY}'], timeout: '${A_TIMEOUT}' } },
      },
      { A_KEY: 'sk-a', A_TIMEOUT: '45' },
    );
    assert.equal(config.server.port, 8080);
    assert.equal(config.providers.a.keys[0].key, 'sk-a');
    assert.equal(config.providers.a.timeout, 45);
  });

  it('reports every missing variable once, without a second type error at the same path', () => {
    const result = parseRelayConfig(
      { server: { port: '${P}' }, providers: { a: { keys: ['${K1}', { key: '${K2}' }] } } },
      {},
    );
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.errors.map((e) => [e.path, e.variable]), [
      ['server.port', 'P'],
      ['providers.a.keys[0]', 'K1'],
      ['providers.a.keys[1].key', 'K2'],
    ]);
  });

  it('still reports a bad expanded value at its path', () => {
    const result = parseRelayConfig({ server: { port: '${P}' } }, { P: 'eighty' });
    assert.deepEqual(!result.ok && result.errors.map(formatIssue), [
      "server.port: must be an integer between 0 and 65535 (got 'eighty')",
    ]);
  });
});
