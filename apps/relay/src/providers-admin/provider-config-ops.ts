import type { ProviderInput, ProviderKeyInput } from '@monorelay/contracts';

/** A settings path under `providers.<name>` (or under one key) and its value; undefined removes the setting. */
export type FieldEdit = [path: string[], value: unknown];

/**
 * ProviderInput (camelCase) as config.yml settings (snake_case). Only the fields given; a null
 * removes the setting so the default applies (0 or empty: off, unset).
 */
export function providerFieldEdits(input: Omit<ProviderInput, 'name' | 'keys'>): FieldEdit[] {
  const edits: FieldEdit[] = [];
  const put = (path: string[], value: unknown) => {
    if (value !== undefined) edits.push([path, value === null ? undefined : value]);
  };
  put(['enabled'], input.enabled);
  put(['provider_type'], input.providerType);
  put(['base_url'], input.baseUrl);
  put(['timeout'], input.timeout);
  put(['first_token_timeout'], input.firstTokenTimeout);
  put(['rate_limit_cooldown'], input.rateLimitCooldown);
  put(['test_model'], input.testModel);
  put(['models', 'include'], input.modelsInclude);
  put(['models', 'exclude'], input.modelsExclude);
  put(['cost_per_m_input'], input.costPerMInput);
  put(['cost_per_m_output'], input.costPerMOutput);
  return edits;
}

export function keyFieldEdits(input: ProviderKeyInput): FieldEdit[] {
  const edits: FieldEdit[] = [];
  const put = (field: string, value: unknown) => {
    if (value !== undefined) edits.push([[field], value === null ? undefined : value]);
  };
  put('key', input.key);
  put('label', input.label);
  put('weight', input.weight);
  put('enabled', input.enabled);
  put('quota_limit', input.quotaLimit);
  put('rate_limit_rps', input.rateLimitRps);
  put('expires_at', input.expiresAt);
  return edits;
}

/** The edits as one mapping (for a new provider or key): removals are simply left out. */
export function asObject(edits: readonly FieldEdit[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of edits) {
    if (value === undefined) continue;
    let node = out;
    for (const segment of path.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = value;
  }
  return out;
}
