import { type ConfigIssue } from './config-issue';
import { urlRule } from './dto/config-rules';
import { type EnvLike } from './env-expansion';
import { ACCEPTED_LOG_LEVELS, normalizeLogLevel } from './log-level';
import { type RelayConfig } from './relay-config';

/** `--port` / `--host`: they win over the environment, which wins over the file. */
export interface CliOverrides {
  port?: number;
  host?: string;
}

interface EnvOverride {
  variable: string;
  /** Returns the value to set, or a problem description (never echoing a secret). */
  parse(text: string): { value: string | number } | { problem: string };
  apply(config: RelayConfig, value: string | number): void;
}

const asString = (text: string) => ({ value: text });

function checkedUrl(rule: ReturnType<typeof urlRule>) {
  return (text: string) => {
    const problems = rule(text);
    return problems.length === 0 ? { value: text } : { problem: problems[0].message };
  };
}

/** Variables applied after the file, in this order. Empty variables count as unset. */
export const ENV_OVERRIDES: readonly EnvOverride[] = [
  {
    variable: 'PORT',
    parse: (text) => {
      const port = Number(text.trim());
      return Number.isInteger(port) && port >= 0 && port <= 65535 && text.trim() !== ''
        ? { value: port }
        : { problem: `must be an integer between 0 and 65535 (got '${text.slice(0, 32)}')` };
    },
    apply: (config, value) => (config.server.port = value as number),
  },
  {
    variable: 'HOST',
    parse: (text) => (text.trim() ? { value: text.trim() } : { problem: 'must not be blank' }),
    apply: (config, value) => (config.server.host = value as string),
  },
  {
    variable: 'MONORELAY_ACCESS_KEY',
    parse: asString,
    apply: (config, value) => (config.server.access_key = value as string),
  },
  {
    variable: 'LOG_LEVEL',
    parse: (text) => {
      const level = normalizeLogLevel(text);
      return level ? { value: level } : { problem: `must be one of ${ACCEPTED_LOG_LEVELS.join(', ')}` };
    },
    apply: (config, value) => (config.server.log_level = value as string),
  },
  {
    variable: 'DATABASE_URL',
    parse: checkedUrl(urlRule()),
    apply: (config, value) => (config.database.url = value as string),
  },
  {
    variable: 'REDIS_URL',
    parse: checkedUrl(urlRule(['redis', 'rediss'])),
    apply: (config, value) => (config.redis.url = value as string),
  },
];

/** Applies env then CLI overrides to a (still mutable) config; returns the problems found. */
export function applyOverrides(config: RelayConfig, env: EnvLike, cli: CliOverrides = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const override of ENV_OVERRIDES) {
    const text = env[override.variable];
    if (text === undefined || text === '') continue;
    const parsed = override.parse(text);
    if ('problem' in parsed) {
      issues.push({ code: 'env-override', path: '', variable: override.variable, message: parsed.problem });
    } else {
      override.apply(config, parsed.value);
    }
  }
  if (cli.port !== undefined) config.server.port = cli.port;
  if (cli.host !== undefined) config.server.host = cli.host;
  return issues;
}
