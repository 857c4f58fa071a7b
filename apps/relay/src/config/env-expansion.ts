import { type ConfigIssue, type KeyPath, issue } from './config-issue';

export type EnvLike = Readonly<Record<string, string | undefined>>;

/**
 * `$${...}` is an escaped literal `${...}`; `${NAME}` is replaced by the variable; `${NAME:-default}`
 * falls back to `default` when NAME is unset or empty. Anything else is left as written.
 */
const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface ExpansionResult {
  value: unknown;
  issues: ConfigIssue[];
}

/** Expands `${VAR}` references in every string value (not in keys) of a parsed YAML tree. */
export function expandEnvReferences(raw: unknown, env: EnvLike): ExpansionResult {
  const issues: ConfigIssue[] = [];
  const value = expandValue(raw, [], env, issues);
  return { value, issues };
}

function expandValue(value: unknown, path: KeyPath, env: EnvLike, issues: ConfigIssue[]): unknown {
  if (typeof value === 'string') return expandString(value, path, env, issues);
  if (Array.isArray(value)) return value.map((item, i) => expandValue(item, [...path, i], env, issues));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = expandValue(item, [...path, key], env, issues);
    return out;
  }
  return value;
}

/** Macros of a local model's start/stop command, filled per start (not from the environment). */
const COMMAND_MACROS = new Set(['PORT', 'LLAMA_PORT', 'MODEL']);

/** `lifecycle.models.<name>.cmd` / `.stop_cmd` / `.health_url`. */
function isModelCommand(path: KeyPath): boolean {
  return (
    path.length === 4 &&
    path[0] === 'lifecycle' &&
    path[1] === 'models' &&
    (path[3] === 'cmd' || path[3] === 'stop_cmd' || path[3] === 'health_url')
  );
}

function expandString(text: string, path: KeyPath, env: EnvLike, issues: ConfigIssue[]): string {
  if (!text.includes('${')) return text;
  const command = isModelCommand(path);
  return text.replace(REFERENCE, (whole, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    if (command && COMMAND_MACROS.has(name) && fallback === undefined) return whole;
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    if (found === '') return '';
    issues.push({
      ...issue(
        'env-reference',
        path,
        `environment variable ${name} is not set (set it, or write \${${name}:-default} to give a default)`,
      ),
      variable: name,
    });
    return whole;
  });
}
