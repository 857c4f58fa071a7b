import { crossCheck } from './config-cross-checks';
import { type ConfigIssue, ConfigValidationError } from './config-issue';
import { fillLocalProviderModels, toRelayConfig } from './config-normalizer';
import { validateConfigTree } from './config-validation';
import { deepFreeze } from './deep-freeze';
import { type EnvLike, expandEnvReferences } from './env-expansion';
import { type CliOverrides, applyOverrides } from './env-overrides';
import { type RelayConfig } from './relay-config';
import { parseYaml } from './yaml-document';

export type ConfigParseResult =
  | { ok: true; config: RelayConfig; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

/**
 * The pure pipeline from a parsed YAML tree to a frozen `RelayConfig`: expand `${VAR}`, validate,
 * fill defaults, apply env and CLI overrides. No I/O; the generated access key is not part of it.
 * `env` feeds both `${VAR}` expansion and the overrides (PORT, HOST, ...); pass `{}` for neither.
 */
export function parseRelayConfig(raw: unknown, env: EnvLike = {}, cli: CliOverrides = {}): ConfigParseResult {
  const expansion = expandEnvReferences(raw, env);
  const validation = validateConfigTree(expansion.value);
  const unexpanded = new Set(expansion.issues.map((i) => i.path));
  // A value whose variable is missing would also fail its type check; the missing variable is the news.
  const errors = [...expansion.issues, ...validation.errors.filter((e) => !unexpanded.has(e.path))];
  const warnings = [...validation.warnings];
  if (!validation.dto) return { ok: false, errors, warnings };

  const config = toRelayConfig(validation.dto);
  errors.push(...applyOverrides(config, env, cli));
  fillLocalProviderModels(config);
  if (errors.length > 0) return { ok: false, errors, warnings };
  warnings.push(...crossCheck(config));
  return { ok: true, config: deepFreeze(config), warnings };
}

/** YAML text -> `RelayConfig`; issues point at `file` with line and column where known. */
export function parseRelayConfigText(
  text: string,
  options: { env?: EnvLike; cli?: CliOverrides; file?: string } = {},
): ConfigParseResult {
  const yaml = parseYaml(text, options.file);
  if (!yaml.ok) return { ok: false, errors: yaml.errors, warnings: [] };
  const result = parseRelayConfig(yaml.tree, options.env, options.cli);
  const located = (issues: ConfigIssue[]) => issues.map(yaml.locate).sort(byPosition);
  return result.ok
    ? { ...result, warnings: located(result.warnings) }
    : { ok: false, errors: located(result.errors), warnings: located(result.warnings) };
}

/** File order; issues without a position keep their order after the located ones. */
function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  const line = (a.line ?? Infinity) - (b.line ?? Infinity);
  if (!Number.isNaN(line) && line !== 0) return line;
  return (a.column ?? 0) - (b.column ?? 0);
}

/**
 * For tests: a full, frozen `RelayConfig` from a partial config object (MonoRelay's snake_case keys).
 * Throws on errors and on unknown keys (a typo in a test should fail the test, not be ignored).
 */
export function buildTestConfig(partial: unknown = {}, env: EnvLike = {}): RelayConfig {
  const result = parseRelayConfig(partial, env);
  const unknownKeys = result.warnings.filter((w) => w.code === 'unknown-key');
  const problems = result.ok ? unknownKeys : [...result.errors, ...unknownKeys];
  if (problems.length > 0) throw new ConfigValidationError(problems, 'test configuration');
  return (result as { config: RelayConfig }).config;
}
