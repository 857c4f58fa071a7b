import { resolve } from 'node:path';

/** Injection token for {@link RuntimeOptions}. */
export const RUNTIME_OPTIONS = Symbol('RUNTIME_OPTIONS');

/** How this process was started: CLI flags and the environment, before any config file is read. */
export interface RuntimeOptions {
  /** `--config PATH`; otherwise `$MONORELAY_CONFIG`, then `./config.yml` if it exists. */
  configPath?: string;
  /** `--port N`: wins over `$PORT` and `server.port`. */
  port?: number;
  /** `--host H`: wins over `$HOST` and `server.host`. */
  host?: string;
  /** Where generated state lives (`data/config.yml`, the generated access key, SQLite files). */
  dataDir: string;
  /** The environment used for `${VAR}` expansion and env overrides. */
  env: Readonly<Record<string, string | undefined>>;
  /** Watch the config files and hot-reload them. */
  watchConfig: boolean;
  /**
   * `--create-admin USERNAME` / `--reset-password USERNAME`: do that (password from
   * `$MONORELAY_ADMIN_PASSWORD`) and exit instead of serving.
   */
  adminCommand?: { action: 'create-admin' | 'reset-password'; username: string };
}

export class CliUsageError extends Error {}

const USAGE = `Usage: monorelay [--config PATH] [--port N] [--host H] [--data-dir DIR]
       monorelay [--config PATH] [--data-dir DIR] --create-admin USERNAME | --reset-password USERNAME

  --config PATH              config.yml to load (default: $MONORELAY_CONFIG, else ./config.yml, else built-in defaults)
  --port N                   listen port (default: $PORT, else server.port, else 8787)
  --host H                   listen address (default: $HOST, else server.host, else 0.0.0.0)
  --data-dir DIR             state directory (default: $MONORELAY_DATA_DIR, else ./data)
  --create-admin USERNAME    create the superadmin account (only when there is none) and exit
  --reset-password USERNAME  set the password of an existing account, end its sessions, and exit
                             (both take the password from $MONORELAY_ADMIN_PASSWORD)
  --help                     print this help`;

export function usage(): string {
  return USAGE;
}

/** Parses `argv` (without node and script) into runtime options. Throws CliUsageError on bad input. */
export function parseRuntimeOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): RuntimeOptions {
  const options: RuntimeOptions = {
    dataDir: resolve(env.MONORELAY_DATA_DIR || 'data'),
    env,
    watchConfig: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--config':
        options.configPath = resolve(value());
        break;
      case '--port':
        options.port = parsePort(value(), '--port');
        break;
      case '--host':
        options.host = value();
        break;
      case '--data-dir':
        options.dataDir = resolve(value());
        break;
      case '--no-watch':
        options.watchConfig = false;
        break;
      case '--create-admin':
      case '--reset-password':
        if (options.adminCommand)
          throw new CliUsageError(`${flag}: only one of --create-admin and --reset-password`);
        options.adminCommand = {
          action: flag === '--create-admin' ? 'create-admin' : 'reset-password',
          username: value(),
        };
        break;
      default:
        throw new CliUsageError(`unknown argument: ${argv[i]}`);
    }
  }
  return options;
}

export function parsePort(text: string, what: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(`${what} must be an integer between 0 and 65535, got '${text}'`);
  }
  return port;
}
