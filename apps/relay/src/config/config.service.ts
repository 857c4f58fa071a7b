import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../runtime-options';
import { resolveAccessKey } from './access-key';
import { ConfigFileWatcher } from './config-file-watcher';
import { type ConfigFiles, type ConfigSourceFile, locateConfigFiles } from './config-files';
import { type ConfigIssue, ConfigValidationError, formatIssue } from './config-issue';
import { type ConfigLoad, loadConfig } from './config-loader';
import { ConfigSource } from './config-source';
import { deepFreeze } from './deep-freeze';
import { type RelayConfig } from './relay-config';

export type ConfigReloadResult =
  | { ok: true; changed: boolean; config: RelayConfig; warnings: readonly ConfigIssue[] }
  | { ok: false; errors: readonly ConfigIssue[]; warnings: readonly ConfigIssue[] };

/** The last reload that was rejected (the previous configuration stayed in force). */
export interface ConfigReloadFailure {
  at: Date;
  source: string | null;
  errors: readonly ConfigIssue[];
}

export interface ConfigPaths {
  /** `--config`, `$MONORELAY_CONFIG` or `./config.yml` (which may not exist). */
  main: string;
  /** `<dataDir>/config.yml`, the console editor's copy, in charge whenever it exists. */
  override: string;
  /** The file the current configuration came from; null = built-in defaults. */
  source: string | null;
  /** `<dataDir>/access_key` when the access key was generated or read from there. */
  accessKeyFile: string | null;
}

/** Settings read once at start-up; a reload that changes them only logs that a restart is needed. */
const RESTART_ONLY: ReadonlyArray<{ path: string; secret: boolean; get: (c: RelayConfig) => unknown }> = [
  { path: 'server.host', secret: false, get: (c) => c.server.host },
  { path: 'server.port', secret: false, get: (c) => c.server.port },
  { path: 'database.url', secret: true, get: (c) => c.database.url },
  { path: 'redis.url', secret: true, get: (c) => c.redis.url },
];

/**
 * Owns the configuration: loads it at construction (an invalid one throws, listing every problem),
 * keeps the current snapshot, and hot-reloads the files when `watchConfig` is on. A rejected reload
 * keeps the last good snapshot.
 */
@Injectable()
export class ConfigService extends ConfigSource implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Config');
  private readonly changesSubject = new Subject<RelayConfig>();
  readonly changes$: Observable<RelayConfig> = this.changesSubject.asObservable();
  readonly files: ConfigFiles;

  private snapshot: RelayConfig;
  private snapshotWarnings: readonly ConfigIssue[];
  private source: ConfigSourceFile;
  private key: string;
  private keyFile: string | null;
  private lastSignature: string;
  private failure: ConfigReloadFailure | null = null;
  private watcher: ConfigFileWatcher | undefined;
  private readonly startedWith: RelayConfig;

  constructor(@Inject(RUNTIME_OPTIONS) private readonly options: RuntimeOptions) {
    super();
    this.files = locateConfigFiles(options);
    const loaded = this.load();
    this.announceSource(loaded.source, null);
    if (!loaded.ok) {
      throw new ConfigValidationError(
        loaded.errors,
        `configuration in ${loaded.source.path ?? 'the built-in defaults'}`,
      );
    }
    this.logWarnings(loaded.warnings);
    const access = resolveAccessKey(loaded.config.server.access_key, options.dataDir);
    if (access.generated) this.announceGeneratedKey(access.key, access.file!, loaded.config);
    this.key = access.key;
    this.keyFile = access.file;
    this.snapshot = this.withAccessKey(loaded.config);
    this.startedWith = this.snapshot;
    this.snapshotWarnings = loaded.warnings;
    this.source = loaded.source;
    this.lastSignature = loaded.signature;
  }

  get current(): RelayConfig {
    return this.snapshot;
  }

  /** The master relay key in force: configured, from the environment, or generated under the data dir. */
  get accessKey(): string {
    return this.key;
  }

  /** Warnings (unknown keys, dangling references) of the current configuration. */
  get warnings(): readonly ConfigIssue[] {
    return this.snapshotWarnings;
  }

  /** Set while the files on disk hold a configuration that was rejected; cleared by a good reload. */
  get lastReloadError(): ConfigReloadFailure | null {
    return this.failure;
  }

  get paths(): ConfigPaths {
    return {
      main: this.files.main,
      override: this.files.override,
      source: this.source.path,
      accessKeyFile: this.keyFile,
    };
  }

  onModuleInit(): void {
    if (this.options.watchConfig) this.startWatching();
  }

  onModuleDestroy(): void {
    this.stopWatching();
    this.changesSubject.complete();
  }

  /** Re-reads the files now. A valid result replaces `current` (and emits when it differs). */
  reload(): ConfigReloadResult {
    return this.apply(this.load());
  }

  startWatching(): void {
    if (this.watcher) return;
    this.watcher = new ConfigFileWatcher([this.files.main, this.files.override], () =>
      this.reloadIfChanged(),
    );
    this.watcher.start();
  }

  stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private reloadIfChanged(): void {
    const loaded = this.load();
    if (loaded.signature === this.lastSignature) return;
    this.apply(loaded);
  }

  private load(): ConfigLoad {
    const { env, port, host } = this.options;
    return loadConfig(this.files, env, { port, host });
  }

  private apply(loaded: ConfigLoad): ConfigReloadResult {
    this.lastSignature = loaded.signature;
    if (!loaded.ok) return this.reject(loaded.source, loaded.errors, loaded.warnings);
    if (loaded.source.kind === 'defaults' && this.source.path !== null) {
      // Most likely a delete-then-write in progress, or a mistake: never fall back to an empty config.
      const gone: ConfigIssue = {
        code: 'syntax',
        path: '',
        message: `${this.source.path} is gone and no other config file exists; restart to run on the built-in defaults`,
      };
      return this.reject(loaded.source, [gone], []);
    }

    let config: RelayConfig;
    try {
      const access = resolveAccessKey(loaded.config.server.access_key, this.options.dataDir);
      if (access.generated) this.announceGeneratedKey(access.key, access.file!, loaded.config);
      this.key = access.key;
      this.keyFile = access.file;
      config = this.keepRestartOnlySettings(this.withAccessKey(loaded.config));
    } catch (error) {
      const problem: ConfigIssue = {
        code: 'invalid',
        path: 'server.access_key',
        message: (error as Error).message,
      };
      return this.reject(loaded.source, [problem], loaded.warnings);
    }

    this.announceSource(loaded.source, this.source);
    this.source = loaded.source;
    this.failure = null;
    if (JSON.stringify(config) === JSON.stringify(this.snapshot)) {
      return { ok: true, changed: false, config: this.snapshot, warnings: this.snapshotWarnings };
    }
    this.logWarnings(loaded.warnings);
    this.snapshot = config;
    this.snapshotWarnings = loaded.warnings;
    this.logger.log(`configuration reloaded from ${loaded.source.path ?? 'the built-in defaults'}`);
    this.changesSubject.next(config);
    return { ok: true, changed: true, config, warnings: loaded.warnings };
  }

  private reject(
    source: ConfigSourceFile,
    errors: readonly ConfigIssue[],
    warnings: readonly ConfigIssue[],
  ): ConfigReloadResult {
    this.failure = { at: new Date(), source: source.path, errors };
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    this.logger.error(
      `configuration change rejected (${count}); keeping the previous configuration:\n` +
        errors.map((e) => `  - ${formatIssue(e)}`).join('\n'),
    );
    return { ok: false, errors, warnings };
  }

  private withAccessKey(config: RelayConfig): RelayConfig {
    if (config.server.access_key === this.key) return config;
    return deepFreeze({ ...config, server: { ...config.server, access_key: this.key } });
  }

  /** Keeps the start-up values of settings that need a restart, and says so. */
  private keepRestartOnlySettings(config: RelayConfig): RelayConfig {
    const changed = RESTART_ONLY.filter((s) => s.get(config) !== s.get(this.startedWith));
    if (changed.length === 0) return config;
    for (const setting of changed) {
      const detail = setting.secret
        ? ''
        : ` (${String(setting.get(this.startedWith))} -> ${String(setting.get(config))})`;
      this.logger.warn(`${setting.path} changed${detail}: takes effect on restart`);
    }
    const { server, database, redis } = this.startedWith;
    return deepFreeze({
      ...config,
      server: { ...config.server, host: server.host, port: server.port },
      database: { ...config.database, url: database.url },
      redis: { ...config.redis, url: redis.url },
    });
  }

  private announceSource(next: ConfigSourceFile, previous: ConfigSourceFile | null): void {
    if (previous && previous.path === next.path) return;
    if (next.kind === 'override') {
      this.logger.warn(
        `using ${next.path} (saved by the console editor); it overrides ${this.files.main}. ` +
          'Delete it to go back to the main file.',
      );
    } else if (next.kind === 'main') {
      this.logger.log(
        `using ${next.path}${previous?.kind === 'override' ? ` (${previous.path} is gone)` : ''}`,
      );
    } else if (!previous) {
      this.logger.log(`no config file (${this.files.main} not found): using the built-in defaults`);
    }
  }

  private announceGeneratedKey(key: string, file: string, config: RelayConfig): void {
    const disabled = config.server.access_key_enabled
      ? ''
      : ' It is not accepted while server.access_key_enabled is false.';
    this.logger.warn(
      `No access key configured, so one was generated and saved to ${file}:\n\n    ${key}\n\n` +
        'Use it as the Bearer token (or x-access-key header) for /v1, and to create the first console account ' +
        '(setup). ' +
        `Set server.access_key or MONORELAY_ACCESS_KEY to choose your own.${disabled}`,
    );
  }

  private logWarnings(warnings: readonly ConfigIssue[]): void {
    for (const warning of warnings) this.logger.warn(formatIssue(warning));
  }
}
