import {
  defaultLifecycleConfig,
  defaultLocalModelConfig,
  defaultSampling,
  defaultIgnoreConfig,
  defaultProviderConfig,
  defaultProviderKeyConfig,
  defaultRelayConfig,
  defaultRetryConfig,
} from './config-defaults';
import { type LifecycleConfigDto, type SamplingDefaultsDto } from './dto/lifecycle-config.dto';
import { type ModelParamsRuleDto } from './dto/model-params-rule.dto';
import { type ModelPriceDto } from './dto/pricing-config.dto';
import { type ProviderConfigDto } from './dto/provider-config.dto';
import { type ProviderKeyDto } from './dto/provider-key.dto';
import { type RelayConfigDto } from './dto/relay-config.dto';
import { type WebReverseConfigDto } from './dto/web-reverse-config.dto';
import { normalizeLogLevel } from './log-level';
import {
  type KeyStrategy,
  type LifecycleConfig,
  type SamplingDefaults,
  type UnknownFieldPolicy,
  type ModelParamsRule,
  type ModelPrice,
  type ProviderConfig,
  type ProviderKeyConfig,
  type ProviderType,
  type RelayConfig,
} from './relay-config';

/** MonoRelay's `WebReverseConfig` defaults, filled in when a provider has a `web_reverse` block. */
export function defaultWebReverseConfig(): Record<string, unknown> {
  return {
    pow_difficulty: '00003a',
    conversation_only: false,
    enable_limit: true,
    history_disabled: true,
    proxy_url: '',
    turnstile_solver_url: '',
    ark0se_token_url: '',
    chatgpt_base_url: 'https://chatgpt.com',
    model_mapping: {
      'gpt-3.5-turbo': 'text-davinci-002-render-sha',
      'gpt-4': 'gpt-4',
      'gpt-4o': 'gpt-4o',
      'gpt-4o-mini': 'gpt-4o-mini',
      'o1-mini': 'o1-mini',
      o1: 'o1',
      'o3-mini': 'o3-mini',
    },
  };
}

/**
 * `defaults` with every key that `given` sets (non-null) taken from `given`. Keys `given` has but the
 * defaults lack (unknown keys, already reported as warnings) are dropped.
 */
function overlay<T extends object>(defaults: T, given: object | null | undefined): T {
  if (!given) return defaults;
  const out = { ...defaults } as Record<string, unknown>;
  const source = given as Record<string, unknown>;
  for (const key of Object.keys(defaults)) {
    if (source[key] !== undefined && source[key] !== null) out[key] = source[key];
  }
  return out as T;
}

/** Free-form content (params, metadata) copied into plain objects so a snapshot owns all it holds. */
function plainCopy<T>(value: T): T {
  return structuredClone(value);
}

/** Turns a validated DTO tree into a full `RelayConfig` with every default filled in. */
export function toRelayConfig(dto: RelayConfigDto): RelayConfig {
  const defaults = defaultRelayConfig();
  const server = overlay(defaults.server, dto.server);
  server.log_level = normalizeLogLevel(server.log_level) ?? defaults.server.log_level;

  const routing = dto.model_routing;
  const routingDefaults = defaults.model_routing;
  const model_routing = {
    ...overlay(routingDefaults, routing),
    aliases: plainCopy(routing?.aliases ?? routingDefaults.aliases),
    provider_mapping: plainCopy(routing?.provider_mapping ?? routingDefaults.provider_mapping),
    model_overrides: plainCopy(routing?.model_overrides ?? routingDefaults.model_overrides),
    complexity: overlay(routingDefaults.complexity, routing?.complexity),
    cascade: overlay(routingDefaults.cascade, routing?.cascade),
    payload_transformation: {
      enabled: routing?.payload_transformation?.enabled ?? routingDefaults.payload_transformation.enabled,
      rules: (routing?.payload_transformation?.rules ?? []).map((rule) => ({
        models: rule.models ?? [],
        inject_params: plainCopy(rule.inject_params ?? {}),
        override_params: plainCopy(rule.override_params ?? {}),
      })),
    },
    global_params: overlay(routingDefaults.global_params, routing?.global_params),
    model_params: toModelParamsRules(routing?.model_params),
  };
  model_routing.global_params.params = plainCopy(model_routing.global_params.params);

  const config: RelayConfig = {
    server,
    providers: toProviders(dto.providers),
    model_routing,
    key_selection: {
      strategy: (dto.key_selection?.strategy as KeyStrategy | undefined) ?? defaults.key_selection.strategy,
    },
    tool_calling: overlay(defaults.tool_calling, dto.tool_calling),
    logging: overlay(defaults.logging, dto.logging),
    sync: overlay(defaults.sync, dto.sync),
    sso: overlay(defaults.sso, dto.sso),
    relay: overlay(defaults.relay, dto.relay),
    database: overlay(defaults.database, dto.database),
    redis: overlay(defaults.redis, dto.redis),
    compat: { responses_api: plainCopy(dto.compat?.responses_api ?? {}) },
    log_store: overlay(defaults.log_store, dto.log_store),
    pricing: { models: toPrices(dto.pricing?.models) },
    auth: overlay(defaults.auth, dto.auth),
    lifecycle: toLifecycle(dto.lifecycle),
  };
  return config;
}

function toSampling(dto: SamplingDefaultsDto | undefined): SamplingDefaults {
  return overlay(defaultSampling(), dto);
}

function toLifecycle(dto: LifecycleConfigDto | undefined): LifecycleConfig {
  const defaults = defaultLifecycleConfig();
  const models: LifecycleConfig['models'] = {};
  for (const [name, model] of dto?.models ?? []) {
    models[name] = {
      ...overlay(defaultLocalModelConfig(), model),
      thinking_levels: [...(model.thinking_levels ?? [])],
      sampling: toSampling(model.sampling),
    };
  }
  return {
    ...overlay(defaults, dto),
    models,
    switch_policy: 'eager',
    unknown_field_policy: (dto?.unknown_field_policy as UnknownFieldPolicy | undefined) ?? 'pass_through',
    circuit_breaker: overlay(defaults.circuit_breaker, dto?.circuit_breaker),
    sampling: toSampling(dto?.sampling),
  };
}

/**
 * A `provider_type: local` provider without an include list serves the lifecycle's models (and
 * only those: it must not become a catch-all for every unknown model).
 */
export function fillLocalProviderModels(config: RelayConfig): void {
  for (const provider of Object.values(config.providers)) {
    if (provider.provider_type === 'local' && provider.models.include.length === 0) {
      provider.models = { ...provider.models, include: Object.keys(config.lifecycle.models) };
    }
  }
}

function toPrices(models: Map<string, ModelPriceDto> | undefined): Record<string, Partial<ModelPrice>> {
  const out: Record<string, Partial<ModelPrice>> = {};
  for (const [glob, price] of models ?? []) out[glob] = plainCopy({ ...price });
  return out;
}

function toProviders(providers: Map<string, ProviderConfigDto> | undefined): Record<string, ProviderConfig> {
  const out: Record<string, ProviderConfig> = {};
  for (const [name, provider] of providers ?? []) out[name] = toProvider(provider);
  return out;
}

function toProvider(dto: ProviderConfigDto): ProviderConfig {
  const defaults = defaultProviderConfig();
  const provider = overlay(defaults, dto);
  return {
    ...provider,
    provider_type: (dto.provider_type as ProviderType | undefined) ?? defaults.provider_type,
    keys: (dto.keys ?? []).map(toProviderKey),
    headers: plainCopy(dto.headers ?? {}),
    models: overlay(defaults.models, dto.models),
    retry: overlay(defaultRetryConfig(), dto.retry),
    ignore: overlay(defaultIgnoreConfig(), dto.ignore),
    params: plainCopy(dto.params ?? {}),
    model_params: toModelParamsRules(dto.model_params),
    cloaking: definedStrings(dto.cloaking),
    web_reverse: dto.web_reverse ? toWebReverse(dto.web_reverse) : null,
    remote_models_cache: toModelNames(dto.remote_models_cache),
  };
}

function toProviderKey(dto: ProviderKeyDto): ProviderKeyConfig {
  const defaults = defaultProviderKeyConfig();
  return {
    ...overlay(defaults, dto),
    metadata: plainCopy(dto.metadata ?? {}),
    usage_window_limits: overlay(defaults.usage_window_limits, dto.usage_window_limits),
  };
}

function toModelParamsRules(rules: readonly ModelParamsRuleDto[] | undefined): ModelParamsRule[] {
  return (rules ?? []).map((rule) => ({
    model_pattern: rule.model_pattern ?? '',
    params: plainCopy(rule.params ?? {}),
    system_prompt: rule.system_prompt ?? '',
  }));
}

function toWebReverse(dto: WebReverseConfigDto): Record<string, unknown> {
  const merged = overlay(defaultWebReverseConfig(), dto);
  merged.model_mapping = plainCopy(merged.model_mapping);
  return merged;
}

function definedStrings(block: object | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(block ?? {})) if (typeof value === 'string') out[key] = value;
  return out;
}

/** MonoRelay cached either model ids or model objects with an `id`; keep the ids. */
function toModelNames(entries: readonly unknown[] | undefined): string[] {
  const names: string[] = [];
  for (const entry of entries ?? []) {
    if (typeof entry === 'string') names.push(entry);
    else if (entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string') {
      names.push((entry as { id: string }).id);
    }
  }
  return names;
}
