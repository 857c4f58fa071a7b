import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RuntimeOptions } from '../runtime-options';

export interface ConfigFiles {
  /** `--config`, else `$MONORELAY_CONFIG`, else `./config.yml` (which may not exist). */
  main: string;
  /** Where `main` came from; a file named by `--config` or `$MONORELAY_CONFIG` must exist. */
  mainOrigin: '--config' | 'MONORELAY_CONFIG' | 'default';
  /** `<dataDir>/config.yml`, written by the console editor: when it exists it replaces `main`. */
  override: string;
}

export type ConfigSourceKind = 'override' | 'main' | 'defaults';

/** The file a configuration was read from; `path` is null for the built-in defaults. */
export interface ConfigSourceFile {
  kind: ConfigSourceKind;
  path: string | null;
}

export type ConfigFileRead =
  | { ok: true; source: ConfigSourceFile; text: string | null }
  | { ok: false; source: ConfigSourceFile; message: string };

export function locateConfigFiles(
  options: Pick<RuntimeOptions, 'configPath' | 'dataDir' | 'env'>,
  cwd = process.cwd(),
): ConfigFiles {
  const override = resolve(cwd, options.dataDir, 'config.yml');
  if (options.configPath) return { main: resolve(cwd, options.configPath), mainOrigin: '--config', override };
  const fromEnv = options.env.MONORELAY_CONFIG;
  if (fromEnv) return { main: resolve(cwd, fromEnv), mainOrigin: 'MONORELAY_CONFIG', override };
  return { main: join(cwd, 'config.yml'), mainOrigin: 'default', override };
}

/** Reads the file that is in charge now: the data override, else the main file, else none. */
export function readConfigFile(files: ConfigFiles): ConfigFileRead {
  const override = tryRead(files.override);
  if (override.found) return done({ kind: 'override', path: files.override }, override);
  const main = tryRead(files.main);
  if (main.found) return done({ kind: 'main', path: files.main }, main);
  if (files.mainOrigin !== 'default') {
    return {
      ok: false,
      source: { kind: 'main', path: files.main },
      message: `config file not found: ${files.main} (named by ${files.mainOrigin})`,
    };
  }
  return { ok: true, source: { kind: 'defaults', path: null }, text: null };
}

type Attempt = { found: false } | { found: true; text: string } | { found: true; error: string };

function tryRead(path: string): Attempt {
  try {
    return { found: true, text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { found: false };
    return { found: true, error: `cannot read ${path}: ${(error as Error).message}` };
  }
}

function done(source: ConfigSourceFile, attempt: Attempt & { found: true }): ConfigFileRead {
  return 'error' in attempt
    ? { ok: false, source, message: attempt.error }
    : { ok: true, source, text: attempt.text };
}
