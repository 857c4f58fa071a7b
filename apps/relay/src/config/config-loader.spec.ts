import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { defaultRelayConfig } from './config-defaults';
import { locateConfigFiles } from './config-files';
import { formatIssue } from './config-issue';
import { loadConfig } from './config-loader';
import { type TempDir, makeTempDir } from './testing/config-test-kit';

describe('locateConfigFiles', () => {
  it('--config wins over $MONORELAY_CONFIG, which wins over ./config.yml', () => {
    const cwd = '/srv/relay';
    const both = locateConfigFiles(
      { configPath: 'a.yml', dataDir: 'data', env: { MONORELAY_CONFIG: '/etc/b.yml' } },
      cwd,
    );
    assert.deepEqual(both, {
      main: '/srv/relay/a.yml',
      mainOrigin: '--config',
      override: '/srv/relay/data/config.yml',
    });
    const env = locateConfigFiles(
      { dataDir: '/var/lib/relay', env: { MONORELAY_CONFIG: '/etc/b.yml' } },
      cwd,
    );
    assert.deepEqual(env, {
      main: '/etc/b.yml',
      mainOrigin: 'MONORELAY_CONFIG',
      override: '/var/lib/relay/config.yml',
    });
    const none = locateConfigFiles({ dataDir: 'data', env: {} }, cwd);
    assert.deepEqual(none, {
      main: '/srv/relay/config.yml',
      mainOrigin: 'default',
      override: '/srv/relay/data/config.yml',
    });
  });
});

describe('loadConfig', () => {
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  const files = (mainOrigin: 'default' | '--config' = 'default') => ({
    main: join(dir.path, 'config.yml'),
    mainOrigin,
    override: join(dir.path, 'data', 'config.yml'),
  });

  it('uses the built-in defaults when there is no file', () => {
    const loaded = loadConfig(files(), {});
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.source, { kind: 'defaults', path: null });
    assert.deepEqual(loaded.config, defaultRelayConfig());
  });

  it('fails when a file named by --config does not exist', () => {
    const loaded = loadConfig(files('--config'), {});
    assert.equal(loaded.ok, false);
    assert.match(
      !loaded.ok ? formatIssue(loaded.errors[0]) : '',
      /config file not found: .*config\.yml \(named by --config\)/,
    );
  });

  it('reads the main file, and data/config.yml instead of it once that exists', () => {
    writeFileSync(join(dir.path, 'config.yml'), 'server:\n  port: 9001\n');
    const main = loadConfig(files(), {});
    assert.ok(main.ok);
    assert.equal(main.config.server.port, 9001);
    assert.equal(main.source.kind, 'main');

    mkdirSync(join(dir.path, 'data'));
    writeFileSync(join(dir.path, 'data', 'config.yml'), 'server:\n  port: 9002\n');
    const override = loadConfig(files(), {});
    assert.ok(override.ok);
    assert.equal(override.config.server.port, 9002);
    assert.deepEqual(override.source, { kind: 'override', path: join(dir.path, 'data', 'config.yml') });
    assert.notEqual(override.signature, main.signature);
  });

  it('treats an empty file as all defaults', () => {
    writeFileSync(join(dir.path, 'config.yml'), '# nothing yet\n');
    const loaded = loadConfig(files(), {});
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.config, defaultRelayConfig());
  });

  it('reports a YAML syntax error with file, line and column', () => {
    const path = join(dir.path, 'config.yml');
    writeFileSync(path, 'server:\n  port: 8787\nproviders:\n  a:\n    keys: [one, two\n');
    const loaded = loadConfig(files(), {});
    assert.equal(loaded.ok, false);
    const [error] = !loaded.ok ? loaded.errors : [];
    assert.equal(error.code, 'syntax');
    assert.equal(error.file, path);
    assert.equal(typeof error.line, 'number');
    assert.equal(typeof error.column, 'number');
    assert.match(formatIssue(error), new RegExp(`^${path}:\\d+:\\d+: YAML syntax error: `));
  });

  it('reports duplicate keys as syntax errors', () => {
    writeFileSync(join(dir.path, 'config.yml'), 'server:\n  port: 1\n  port: 2\n');
    const loaded = loadConfig(files(), {});
    assert.match(
      !loaded.ok ? formatIssue(loaded.errors[0]) : '',
      /config\.yml:3:3: YAML syntax error: Map keys must be unique/,
    );
  });

  it('points validation errors and warnings at their line in the file', () => {
    const path = join(dir.path, 'config.yml');
    writeFileSync(
      path,
      [
        'providers:',
        '  openrouter:',
        '    keys:',
        '      - key: a',
        '      - key: b',
        '        weight: -2',
        '    timout: 5',
        '',
      ].join('\n'),
    );
    const loaded = loadConfig(files(), {});
    assert.equal(loaded.ok, false);
    assert.deepEqual(!loaded.ok && loaded.errors.map(formatIssue), [
      `${path}:6:17: providers.openrouter.keys[1].weight: must be a number >= 0 (got -2)`,
    ]);
    assert.deepEqual(loaded.warnings.map(formatIssue), [
      `${path}:7:13: providers.openrouter.timout: unknown key, ignored (did you mean 'timeout'?)`,
    ]);
  });

  it('supports YAML anchors and merge keys, as PyYAML did', () => {
    writeFileSync(
      join(dir.path, 'config.yml'),
      [
        'x-defaults: &provider_defaults',
        '  timeout: 60',
        '  rate_limit_cooldown: 30',
        'providers:',
        '  a:',
        '    <<: *provider_defaults',
        '    base_url: https://a.example.com/v1',
        '',
      ].join('\n'),
    );
    const loaded = loadConfig(files(), {});
    assert.ok(loaded.ok);
    assert.equal(loaded.config.providers.a.timeout, 60);
    assert.equal(loaded.config.providers.a.rate_limit_cooldown, 30);
    assert.deepEqual(loaded.warnings, [], 'top-level x- keys are for anchors');
  });
});
