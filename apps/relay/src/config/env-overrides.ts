import { type ConfigIssue } from './config-issue';
import { urlRule } from './dto/config-rules';
import { type EnvLike } from './env-expansion';
import { ACCEPTED_LOG_LEVELS, normalizeLogLevel } from './log-level';
import { defaultLocalModelConfig } from './config-defaults';
import { type LocalModelConfig, type RelayConfig, type UnknownFieldPolicy } from './relay-config';

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

const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (text: string) => {
    const value = Number(text.trim());
    return Number.isInteger(value) && value >= min && value <= max
      ? { value }
      : { problem: `must be an integer between ${min} and ${max} (got '${text.slice(0, 32)}')` };
  };

const flag = (text: string) => {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return { value: 1 };
  if (['false', '0', 'no', 'off'].includes(value)) return { value: 0 };
  return { problem: `must be true or false (got '${text.slice(0, 32)}')` };
};

const lifecycleInt = (
  variable: string,
  key: 'port_base' | 'idle_shutdown_ms' | 'start_timeout_ms' | 'max_warm_models' | 'ring_buffer_bytes',
  min: number,
  max?: number,
): EnvOverride => ({
  variable,
  parse: integer(min, max),
  apply: (config, value) => (config.lifecycle[key] = value as number),
});

const breakerInt = (variable: string, key: 'threshold' | 'window_ms' | 'cooldown_ms', min: number) => ({
  variable,
  parse: integer(min),
  apply: (config: RelayConfig, value: string | number) =>
    (config.lifecycle.circuit_breaker = { ...config.lifecycle.circuit_breaker, [key]: value as number }),
});

const samplingNumber = (variable: string, key: keyof RelayConfig['lifecycle']['sampling']): EnvOverride => ({
  variable,
  parse: (text) => {
    const value = Number(text.trim());
    return Number.isFinite(value) && text.trim() !== ''
      ? { value }
      : { problem: `must be a number (got '${text.slice(0, 32)}')` };
  },
  apply: (config, value) =>
    (config.lifecycle.sampling = { ...config.lifecycle.sampling, [key]: value as number }),
});

/**
 * The "Relay" gateway's variables, for its users: they set the lifecycle block. RELAY_MODEL_MAP
 * (JSON name -> {cmd, ctx_size, ...}) adds to or replaces the models of the file.
 */
export const LIFECYCLE_ENV_OVERRIDES: readonly EnvOverride[] = [
  {
    variable: 'RELAY_MODEL_LIFECYCLE_ENABLED',
    parse: flag,
    apply: (config, value) => (config.lifecycle.enabled = value === 1),
  },
  {
    variable: 'RELAY_MODEL_MAP',
    parse: (text) => {
      const problem = checkModelMap(text);
      return problem ? { problem } : { value: text };
    },
    apply: (config, value) => {
      const map = JSON.parse(value as string) as Record<string, Record<string, unknown>>;
      const models = { ...config.lifecycle.models };
      for (const [name, entry] of Object.entries(map)) {
        models[name] = {
          ...defaultLocalModelConfig(),
          ...(entry as Partial<LocalModelConfig>),
          thinking_levels: Array.isArray(entry.thinking_levels) ? entry.thinking_levels.map(String) : [],
          sampling: defaultLocalModelConfig().sampling,
        };
      }
      config.lifecycle.models = models;
    },
  },
  lifecycleInt('RELAY_MODEL_PORT_BASE', 'port_base', 1024, 65530),
  lifecycleInt('RELAY_MODEL_IDLE_SHUTDOWN_MS', 'idle_shutdown_ms', 0),
  lifecycleInt('RELAY_MODEL_START_TIMEOUT_MS', 'start_timeout_ms', 1),
  lifecycleInt('RELAY_SWITCH_MAX_WARM_MODELS', 'max_warm_models', 1),
  lifecycleInt('RELAY_LIFECYCLE_RING_BUFFER_BYTES', 'ring_buffer_bytes', 1024),
  breakerInt('RELAY_LIFECYCLE_CIRCUIT_BREAKER_THRESHOLD', 'threshold', 1),
  breakerInt('RELAY_LIFECYCLE_CIRCUIT_BREAKER_WINDOW_MS', 'window_ms', 1),
  breakerInt('RELAY_LIFECYCLE_CIRCUIT_BREAKER_COOLDOWN_MS', 'cooldown_ms', 0),
  {
    variable: 'RELAY_SERIALIZE_REQUESTS',
    parse: flag,
    apply: (config, value) => (config.lifecycle.serialize_requests = value === 1),
  },
  {
    variable: 'RELAY_UNKNOWN_FIELD_POLICY',
    parse: (text) =>
      ['pass_through', 'strip', 'reject'].includes(text.trim())
        ? { value: text.trim() }
        : { problem: 'must be one of pass_through, strip, reject' },
    apply: (config, value) => (config.lifecycle.unknown_field_policy = value as UnknownFieldPolicy),
  },
  {
    variable: 'RELAY_WARN_ON_STRIPPED_FIELDS',
    parse: flag,
    apply: (config, value) => (config.lifecycle.warn_on_stripped_fields = value === 1),
  },
  {
    variable: 'DEFAULT_MODEL',
    parse: asString,
    apply: (config, value) => (config.lifecycle.default_model = value as string),
  },
  samplingNumber('DEFAULT_TEMPERATURE', 'temperature'),
  samplingNumber('DEFAULT_TOP_P', 'top_p'),
  samplingNumber('DEFAULT_TOP_K', 'top_k'),
  samplingNumber('DEFAULT_MIN_P', 'min_p'),
  samplingNumber('DEFAULT_PRESENCE_PENALTY', 'presence_penalty'),
  samplingNumber('DEFAULT_REPETITION_PENALTY', 'repeat_penalty'),
];

/** A problem with RELAY_MODEL_MAP, or null; never echoes the commands (they may hold secrets). */
function checkModelMap(text: string): string | null {
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    return 'must be a JSON object of model name -> {cmd, ctx_size, ...}';
  }
  if (!map || typeof map !== 'object' || Array.isArray(map)) return 'must be a JSON object';
  for (const [name, entry] of Object.entries(map as Record<string, unknown>)) {
    const model = entry as Record<string, unknown> | null;
    if (!model || typeof model !== 'object') return `${name}: must be an object`;
    if (typeof model.cmd !== 'string' || model.cmd.trim() === '') return `${name}.cmd: is required`;
    if (!Number.isInteger(model.ctx_size) || (model.ctx_size as number) < 1)
      return `${name}.ctx_size: must be a positive integer`;
    if (model.port !== undefined && (!Number.isInteger(model.port) || (model.port as number) < 0))
      return `${name}.port: must be an integer >= 0`;
  }
  return null;
}

/** Applies env then CLI overrides to a (still mutable) config; returns the problems found. */
export function applyOverrides(config: RelayConfig, env: EnvLike, cli: CliOverrides = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const override of [...ENV_OVERRIDES, ...LIFECYCLE_ENV_OVERRIDES]) {
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
