import 'reflect-metadata';
import { type INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import { firstValueFrom, filter, take, timeout } from 'rxjs';
import { ConfigModule } from '../apps/relay/src/config/config.module';
import { ConfigService } from '../apps/relay/src/config/config.service';
import { type RelayConfig } from '../apps/relay/src/config/relay-config';
import {
  CapturedLogs,
  type TempDir,
  makeTempDir,
  runtimeOptions,
} from '../apps/relay/src/config/testing/config-test-kit';

/** The requirement: a change on disk is applied within 2 s. */
const WITHIN_MS = 2000;

const yaml = (maxAgeDays: number, extra = '') =>
  `server:\n  access_key: test-key\nlogging:\n  max_age_days: ${maxAgeDays}\n${extra}`;

async function nextConfig(service: ConfigService, accept: (c: RelayConfig) => boolean): Promise<RelayConfig> {
  return firstValueFrom(service.changes$.pipe(filter(accept), take(1), timeout(WITHIN_MS)));
}

async function waitFor(check: () => boolean, ms = WITHIN_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('config hot reload (real files, real watcher)', () => {
  let dir: TempDir;
  let logs: CapturedLogs;
  let app: INestApplicationContext;
  let service: ConfigService;
  let mainFile: string;
  let dataDir: string;

  before(() => {
    logs = new CapturedLogs();
    Logger.overrideLogger(logs);
  });

  beforeEach(async () => {
    dir = makeTempDir('monorelay-hot-reload-');
    mainFile = join(dir.path, 'etc', 'config.yml');
    dataDir = join(dir.path, 'data');
    mkdirSync(join(dir.path, 'etc'));
    mkdirSync(dataDir);
    writeFileSync(mainFile, yaml(30));
    logs.clear();
    app = await NestFactory.createApplicationContext(
      ConfigModule.forRoot(runtimeOptions({ configPath: mainFile, dataDir, watchConfig: true })),
      { logger: logs, abortOnError: false },
    );
    service = app.get(ConfigService);
    assert.equal(service.current.logging.max_age_days, 30);
  });

  afterEach(async () => {
    await app.close();
    dir.remove();
  });

  it('applies an edit within 2 s and logs "configuration reloaded"', async () => {
    const changed = nextConfig(service, (c) => c.logging.max_age_days === 7);
    writeFileSync(mainFile, yaml(7));
    const config = await changed;
    assert.equal(service.current, config);
    assert.ok(logs.at('log').some((m) => m.includes('configuration reloaded')));
  });

  it('rejects an invalid edit, logs every error with its path, keeps the last good config', async () => {
    const good = service.current;
    writeFileSync(mainFile, 'logging:\n  max_age_days: -1\nkey_selection:\n  strategy: fastest\n');
    await waitFor(() => service.lastReloadError !== null);
    assert.equal(service.current, good);
    const logged = logs.at('error').join('\n');
    assert.match(logged, /logging\.max_age_days: must be an integer >= 0/);
    assert.match(logged, /key_selection\.strategy: must be one of round-robin, random, weighted/);

    // and the next good edit goes through
    const changed = nextConfig(service, (c) => c.logging.max_age_days === 5);
    writeFileSync(mainFile, yaml(5));
    await changed;
    assert.equal(service.lastReloadError, null);
  });

  it('follows a replace-by-rename (editors, atomic writers)', async () => {
    const changed = nextConfig(service, (c) => c.logging.max_age_days === 11);
    const temp = join(dir.path, 'etc', '.config.yml.swp');
    writeFileSync(temp, yaml(11));
    renameSync(temp, mainFile);
    await changed;
    assert.equal(service.current.logging.max_age_days, 11);

    const again = nextConfig(service, (c) => c.logging.max_age_days === 12);
    writeFileSync(temp, yaml(12));
    renameSync(temp, mainFile);
    await again;
  });

  it('switches to data/config.yml when it is created, and back when it is deleted', async () => {
    const override = join(dataDir, 'config.yml');
    const toOverride = nextConfig(service, (c) => c.logging.max_age_days === 90);
    writeFileSync(override, yaml(90));
    await toOverride;
    assert.equal(service.paths.source, override);
    assert.ok(logs.at('warn').some((m) => m.includes(override) && m.includes(mainFile)));

    const back = nextConfig(service, (c) => c.logging.max_age_days === 30);
    rmSync(override);
    await back;
    assert.equal(service.paths.source, mainFile);
  });

  it('does not reload for unrelated files in the watched directories', async () => {
    let emitted = 0;
    const subscription = service.changes$.subscribe(() => emitted++);
    writeFileSync(join(dataDir, 'requests.db'), 'x');
    writeFileSync(join(dir.path, 'etc', 'other.yml'), 'x: 1');
    await new Promise((resolve) => setTimeout(resolve, 600));
    subscription.unsubscribe();
    assert.equal(emitted, 0);
  });
});

describe('config hot reload: Kubernetes ConfigMap layout', () => {
  it('follows the ..data symlink swap', async () => {
    const dir = makeTempDir('monorelay-configmap-');
    const logs = new CapturedLogs();
    const mount = join(dir.path, 'mount');
    mkdirSync(join(mount, '..2026_01_01_v1'), { recursive: true });
    writeFileSync(join(mount, '..2026_01_01_v1', 'config.yml'), yaml(1));
    symlinkSync('..2026_01_01_v1', join(mount, '..data'));
    symlinkSync(join('..data', 'config.yml'), join(mount, 'config.yml'));

    const service = new ConfigService(
      runtimeOptions({
        configPath: join(mount, 'config.yml'),
        dataDir: join(dir.path, 'data'),
        watchConfig: true,
      }),
    );
    Logger.overrideLogger(logs);
    service.onModuleInit();
    try {
      assert.equal(service.current.logging.max_age_days, 1);
      const changed = nextConfig(service, (c) => c.logging.max_age_days === 2);
      // What the kubelet does: write a new timestamped dir, point ..data_tmp at it, rename over ..data.
      mkdirSync(join(mount, '..2026_01_01_v2'));
      writeFileSync(join(mount, '..2026_01_01_v2', 'config.yml'), yaml(2));
      symlinkSync('..2026_01_01_v2', join(mount, '..data_tmp'));
      renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
      rmSync(join(mount, '..2026_01_01_v1'), { recursive: true });
      await changed;
    } finally {
      service.onModuleDestroy();
      dir.remove();
    }
  });
});
