import type {
  ProviderHealth,
  ProviderKeyView,
  ProviderStats24h,
  ProviderType,
  ProviderView,
} from '@monorelay/contracts';
import type { ProviderConfig } from '../config/relay-config';
import { SECRET_MASK } from '../config-editor/config-masking';
import type { KeyStateView } from '../keys/key-lease';
import { keyIdFor } from '../keys/key-id';
import { findPreset } from '../providers/provider-presets';

/** Health turns `degraded` at this share of failed requests over the last 24 h. */
const DEGRADED_ERROR_RATE = 0.2;

const ENV_REFERENCE = /\$\{[^}]+\}/;

export const NO_STATS: ProviderStats24h = Object.freeze({
  requests: 0,
  errors: 0,
  errorRate: 0,
  latencyP50Ms: null,
  tokens: 0,
  costUsd: 0,
});

/** `sk-...abcd`: first 3 and last 4 characters; `********` when shorter than 12 (too little would be left hidden). */
export function maskKey(secret: string): string {
  return secret.length < 12 ? SECRET_MASK : `${secret.slice(0, 3)}...${secret.slice(-4)}`;
}

/** The `${VAR}` reference a key is written as in the file, or null for a literal key. */
export function envReferenceOf(raw: unknown): string | null {
  return typeof raw === 'string' && ENV_REFERENCE.test(raw) ? raw : null;
}

export interface ProviderViewInput {
  name: string;
  config: ProviderConfig;
  /** Each key's value as written in the file (before `${VAR}` expansion), by index; may be shorter. */
  rawKeys: readonly unknown[];
  /** `KeysService.snapshot(name)`. */
  keyStates: readonly KeyStateView[];
  stats: ProviderStats24h;
}

/** A provider's settings, keys (masked) with their live state, health and 24 h figures. */
export function toProviderView({ name, config, rawKeys, keyStates, stats }: ProviderViewInput): ProviderView {
  const states = new Map(keyStates.map((state) => [state.keyId, state]));
  const preset =
    config.provider_type === 'local' ? null : findPreset(name, config.base_url, config.provider_type);
  const keys = config.keys.map((key, index): ProviderKeyView => {
    const envReference = envReferenceOf(rawKeys[index]);
    const state = states.get(keyIdFor(name, key.key));
    return {
      index,
      label: key.label,
      masked: envReference === null ? maskKey(key.key) : SECRET_MASK,
      envReference,
      weight: key.weight,
      enabled: key.enabled,
      quotaLimit: key.quota_limit > 0 ? key.quota_limit : null,
      rateLimitRps: key.rate_limit_rps > 0 ? key.rate_limit_rps : null,
      expiresAt: key.expires_at || null,
      state: state?.state ?? (key.enabled ? 'available' : 'disabled'),
      cooldownUntil: state?.cooldownUntil ?? null,
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      successCount: state?.successCount ?? 0,
    };
  });
  return {
    name,
    enabled: config.enabled,
    providerType: config.provider_type as ProviderType,
    preset: preset?.id ?? null,
    baseUrl: config.base_url || preset?.baseUrl || '',
    timeout: config.timeout,
    firstTokenTimeout: config.first_token_timeout > 0 ? config.first_token_timeout : null,
    rateLimitCooldown: config.rate_limit_cooldown,
    testModel: config.test_model || null,
    modelsInclude: [...config.models.include],
    modelsExclude: [...config.models.exclude],
    costPerMInput: config.cost_per_m_input > 0 ? config.cost_per_m_input : null,
    costPerMOutput: config.cost_per_m_output > 0 ? config.cost_per_m_output : null,
    headerNames: Object.keys(config.headers),
    keys,
    health: healthOf(config.enabled, keyStates, stats),
    stats24h: stats,
  };
}

/**
 * As the contract defines it. `keyStates` are the pool's (a provider without keys has one keyless
 * entry), so "no key can be leased" is judged on what the relay would really lease.
 */
export function healthOf(
  enabled: boolean,
  keyStates: readonly KeyStateView[],
  stats: ProviderStats24h,
): ProviderHealth {
  if (!enabled) return 'disabled';
  if (!keyStates.some((key) => key.state === 'available')) return 'down';
  const keysOut = keyStates.some(
    (key) => key.state === 'cooling' || key.state === 'backing_off' || key.state === 'auth_failed',
  );
  return keysOut || stats.errorRate >= DEGRADED_ERROR_RATE ? 'degraded' : 'healthy';
}
