import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type RelayConfig } from './relay-config';
import { ConfigSource } from './config-source';
import { ConfigValidationError } from './config-issue';
import { ConfigModule } from './config.module';
import { ConfigService } from './config.service';
import { CapturedLogs, type TempDir, makeTempDir, runtimeOptions } from './testing/config-test-kit';

describe('ConfigService', () => {
  let dir: TempDir;
  let logs: CapturedLogs;
  let mainFile: string;
  let dataDir: string;
  const services: ConfigService[] = [];

  const create = (overrides: Parameters<typeof runtimeOptions>[0] | object = {}) => {
    const service = new ConfigService(runtimeOptions({ configPath: mainFile, dataDir, ...overrides }));
    services.push(service);
    return service;
  };

  beforeEach(() => {
    dir = makeTempDir();
    mainFile = join(dir.path, 'config.yml');
    dataDir = join(dir.path, 'data');
    logs = new CapturedLogs();
    Logger.overrideLogger(logs);
  });

  afterEach(() => {
    for (const service of services.splice(0)) service.onModuleDestroy();
    dir.remove();
  });

  it('starts with built-in defaults when no file exists at all', () => {
    const service = new ConfigService(runtimeOptions({ dataDir, env: {} }));
    services.push(service);
    assert.equal(service.current.server.port, 8787);
    assert.equal(service.paths.source, null);
    assert.deepEqual(service.current.providers, {});
  });

  it('generates the access key once, logs it once at warn level, and reuses it', () => {
    writeFileSync(mainFile, 'server:\n  port: 9000\n');
    const first = create();
    assert.match(first.accessKey, /^mr-[A-Za-z0-9_-]{40}$/);
    assert.equal(first.current.server.access_key, first.accessKey);
    assert.equal(first.paths.accessKeyFile, join(dataDir, 'access_key'));
    const mentions = () => logs.lines.filter((l) => l.message.includes(first.accessKey));
    assert.equal(mentions().length, 1);
    assert.equal(mentions()[0].level, 'warn');
    assert.match(mentions()[0].message, /generated/);

    logs.clear();
    const second = create();
    assert.equal(second.accessKey, first.accessKey);
    assert.equal(mentions().length, 0, 'the key is only printed when it is generated');
    assert.equal(readFileSync(join(dataDir, 'access_key'), 'utf8').trim(), first.accessKey);
  });

  it('takes the access key from the file or MONORELAY_ACCESS_KEY and never logs it', () => {
    writeFileSync(mainFile, 'server:\n  access_key: file-key\n');
    assert.equal(create().accessKey, 'file-key');
    assert.equal(create({ env: { MONORELAY_ACCESS_KEY: 'env-key' } }).accessKey, 'env-key');
    assert.ok(!logs.all().includes('file-key') && !logs.all().includes('env-key'));
  });

  it('refuses to start on an invalid config, listing every problem with its path', () => {
    writeFileSync(mainFile, 'server:\n  port: -1\nkey_selection:\n  strategy: fastest\n');
    assert.throws(
      () => create(),
      (error: unknown) => {
        assert.ok(error instanceof ConfigValidationError);
        assert.match(error.message, /Invalid configuration in .*config\.yml \(2 problems\)/);
        assert.match(error.message, /config\.yml:2:9: server\.port: must be an integer between 0 and 65535/);
        assert.match(error.message, /config\.yml:4:13: key_selection\.strategy: must be one of/);
        return true;
      },
    );
  });

  it('uses data/config.yml over the main file and warns naming both', () => {
    writeFileSync(mainFile, 'server:\n  access_key: k\n  public_host: main\n');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'config.yml'), 'server:\n  access_key: k\n  public_host: editor\n');
    const service = create();
    assert.equal(service.current.server.public_host, 'editor');
    assert.equal(service.paths.source, join(dataDir, 'config.yml'));
    const warning = logs.at('warn').find((m) => m.includes('overrides'));
    assert.ok(warning?.includes(join(dataDir, 'config.yml')) && warning.includes(mainFile), logs.all());
  });

  it('reload(): a valid change swaps current and emits it', () => {
    writeFileSync(mainFile, 'server:\n  access_key: k\nlogging:\n  max_age_days: 30\n');
    const service = create();
    const seen: RelayConfig[] = [];
    service.changes$.subscribe((config) => seen.push(config));
    const before = service.current;

    writeFileSync(mainFile, 'server:\n  access_key: k\nlogging:\n  max_age_days: 7\n');
    const result = service.reload();
    assert.ok(result.ok && result.changed);
    assert.equal(service.current.logging.max_age_days, 7);
    assert.deepEqual(seen, [service.current]);
    assert.notEqual(service.current, before);
    assert.ok(Object.isFrozen(service.current.logging));
    assert.ok(logs.at('log').some((m) => m.includes('configuration reloaded')));

    const again = service.reload();
    assert.ok(again.ok && !again.changed);
    assert.equal(seen.length, 1, 'an unchanged file does not emit');
  });

  it('reload(): an invalid change is rejected, logged with paths, and the last good config kept', () => {
    writeFileSync(mainFile, 'server:\n  access_key: k\nlogging:\n  max_age_days: 30\n');
    const service = create();
    const good = service.current;
    let emitted = 0;
    service.changes$.subscribe(() => emitted++);

    writeFileSync(mainFile, 'logging:\n  max_age_days: -5\nproviders:\n  a:\n    timeout: 0\n');
    const result = service.reload();
    assert.equal(result.ok, false);
    assert.equal(service.current, good);
    assert.equal(emitted, 0);
    assert.deepEqual(
      service.lastReloadError?.errors.map((e) => e.path),
      ['logging.max_age_days', 'providers.a.timeout'],
    );
    const logged = logs.at('error').join('\n');
    assert.match(logged, /logging\.max_age_days: must be an integer >= 0/);
    assert.match(logged, /providers\.a\.timeout: must be a number > 0/);

    writeFileSync(mainFile, 'server:\n  access_key: k\nlogging:\n  max_age_days: 3\n');
    assert.ok(service.reload().ok);
    assert.equal(service.lastReloadError, null);
    assert.equal(service.current.logging.max_age_days, 3);
  });

  it('reload(): host and port changes only log that they apply on restart', () => {
    writeFileSync(mainFile, 'server:\n  access_key: k\n  port: 9000\n');
    const service = create();
    writeFileSync(mainFile, 'server:\n  access_key: k\n  port: 9100\n  public_host: relay.example.com\n');
    const result = service.reload();
    assert.ok(result.ok && result.changed);
    assert.equal(service.current.server.port, 9000);
    assert.equal(service.current.server.public_host, 'relay.example.com');
    assert.ok(
      logs.at('warn').some((m) => /server\.port changed \(9000 -> 9100\): takes effect on restart/.test(m)),
    );
  });

  it('reload(): keeps the current config when the only config file disappears', () => {
    const implicitMain = join(dir.path, 'config.yml');
    writeFileSync(implicitMain, 'server:\n  access_key: k\nlogging:\n  max_age_days: 9\n');
    const cwd = process.cwd();
    process.chdir(dir.path); // ./config.yml, the file that may be absent
    let service: ConfigService;
    try {
      service = new ConfigService(runtimeOptions({ dataDir, env: {} }));
    } finally {
      process.chdir(cwd);
    }
    services.push(service);
    assert.equal(service.paths.source, implicitMain);
    rmSync(implicitMain);
    const result = service.reload();
    assert.equal(result.ok, false);
    assert.equal(service.current.logging.max_age_days, 9);
    assert.match(service.lastReloadError?.errors[0].message ?? '', /is gone/);
  });

  it('is wired by ConfigModule.forRoot, also as ConfigSource', async () => {
    writeFileSync(mainFile, 'server:\n  access_key: k\n  port: 9300\n');
    const app = await NestFactory.createApplicationContext(
      ConfigModule.forRoot(runtimeOptions({ configPath: mainFile, dataDir, watchConfig: true })),
      { logger: logs, abortOnError: false },
    );
    try {
      const service = app.get(ConfigService);
      assert.equal(app.get(ConfigSource), service);
      assert.equal(service.current.server.port, 9300);
    } finally {
      await app.close();
    }
  });

  it('makes Nest start-up fail with the full list of problems', async () => {
    writeFileSync(mainFile, 'server:\n  port: x\n  hots: y\n');
    await assert.rejects(
      NestFactory.createApplicationContext(
        ConfigModule.forRoot(runtimeOptions({ configPath: mainFile, dataDir })),
        {
          logger: false,
          abortOnError: false,
        },
      ),
      /server\.port: must be an integer between 0 and 65535/,
    );
  });
});
