import type { ModelParamsRule, RelayConfig } from '../config/relay-config';
import { compileGlob, compileGlobs, type GlobTest } from './glob-matcher';

/** A param with its dotted key split once (`reasoning.effort` -> ['reasoning', 'effort']). */
export interface ParamEntry {
  path: readonly string[];
  value: unknown;
}

export interface CompiledModelParamsRule {
  test: GlobTest;
  params: readonly ParamEntry[];
  systemPrompt: string;
}

export interface CompiledPayloadRule {
  tests: readonly GlobTest[];
  inject: readonly ParamEntry[];
  override: readonly ParamEntry[];
}

export interface CompiledGlobalParams {
  mode: 'default' | 'override';
  params: readonly ParamEntry[];
  systemPrompt: string;
}

export interface CompiledProviderParams {
  params: readonly ParamEntry[];
  /** The provider's own `model_params` (MonoRelay parsed but never applied them). */
  modelParams: readonly CompiledModelParamsRule[];
  systemPrompt: string;
}

/** The body-shaping half of a config snapshot, compiled once; disabled layers compile to nothing. */
export interface CompiledTransforms {
  modelParams: readonly CompiledModelParamsRule[];
  payloadRules: readonly CompiledPayloadRule[];
  globalParams: CompiledGlobalParams | null;
  /** Only providers that set params, model params or a system prompt. */
  providers: ReadonlyMap<string, CompiledProviderParams>;
  /** `tool_calling.unsupported_models`, empty when `auto_downgrade` is off. */
  toolless: readonly GlobTest[];
}

const compiled = new WeakMap<RelayConfig, CompiledTransforms>();

export function compiledTransformsFor(config: RelayConfig): CompiledTransforms {
  let entry = compiled.get(config);
  if (!entry) {
    entry = compileTransforms(config);
    compiled.set(config, entry);
  }
  return entry;
}

function compileTransforms(config: RelayConfig): CompiledTransforms {
  const routing = config.model_routing;
  const global = routing.global_params;
  const providers = new Map<string, CompiledProviderParams>();
  for (const [name, provider] of Object.entries(config.providers)) {
    const params = paramEntries(provider.params);
    const modelParams = compileModelParams(provider.model_params);
    if (params.length > 0 || modelParams.length > 0 || provider.system_prompt) {
      providers.set(name, { params, modelParams, systemPrompt: provider.system_prompt });
    }
  }
  return {
    modelParams: compileModelParams(routing.model_params),
    payloadRules: routing.payload_transformation.enabled
      ? routing.payload_transformation.rules
          .filter((rule) => rule.models.length > 0)
          .map((rule) => ({
            tests: compileGlobs(rule.models).map((glob) => glob.test),
            inject: paramEntries(rule.inject_params),
            override: paramEntries(rule.override_params),
          }))
      : [],
    globalParams: global.enabled
      ? { mode: global.mode, params: paramEntries(global.params), systemPrompt: global.system_prompt }
      : null,
    providers,
    toolless: config.tool_calling.auto_downgrade
      ? compileGlobs(config.tool_calling.unsupported_models).map((glob) => glob.test)
      : [],
  };
}

function compileModelParams(rules: readonly ModelParamsRule[]): CompiledModelParamsRule[] {
  return rules
    .filter((rule) => rule.model_pattern)
    .map((rule) => ({
      test: compileGlob(rule.model_pattern),
      params: paramEntries(rule.params),
      systemPrompt: rule.system_prompt,
    }));
}

function paramEntries(params: Record<string, unknown>): ParamEntry[] {
  return Object.entries(params).map(([key, value]) => ({ path: key.split('.'), value }));
}
