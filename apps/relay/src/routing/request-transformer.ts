import { Injectable } from '@nestjs/common';
import type { RelayConfig } from '../config/relay-config';
import { BodyDraft, type JsonObject } from './body-draft';
import {
  type CompiledModelParamsRule,
  compiledTransformsFor,
  type CompiledTransforms,
  type ParamEntry,
} from './compiled-transforms';
import type { RelayEndpoint, RouteTarget } from './route-plan';
import { SYSTEM_PROMPT_SLOTS, type SystemPromptSlot } from './system-prompt-slots';

export interface TransformResult {
  body: JsonObject;
  /** False: `body` is the input object itself and the client's raw bytes can be forwarded as they are. */
  changed: boolean;
}

/** Fields removed for models listed in `tool_calling.unsupported_models`. */
const TOOL_FIELDS = ['tools', 'tool_choice', 'functions', 'function_call', 'parallel_tool_calls'] as const;

/**
 * The body one target receives. Layers, in MonoRelay's order, each matched against the target's
 * model: `model_params` (first match; forces params, inserts a system prompt) -> payload rules
 * (every match; inject if absent, override always) -> `global_params` (`default`: fill and prepend,
 * `override`: force and replace) -> provider `params` (force) -> the provider's own `model_params`
 * (first match, like the global ones) -> provider `system_prompt` (inserted first).
 * Then tool fields go for models that cannot call tools. Dotted keys write nested objects in every
 * layer. Non-text endpoints (embeddings, images, audio, moderations) only get the model name and
 * the tool downgrade. The input is never mutated.
 */
export function transformRequest(
  body: JsonObject,
  target: RouteTarget,
  endpoint: RelayEndpoint,
  config: RelayConfig,
): TransformResult {
  const transforms = compiledTransformsFor(config);
  const draft = new BodyDraft(body);
  if (body.model !== target.model) draft.set('model', target.model);
  const slot = SYSTEM_PROMPT_SLOTS[endpoint];
  if (slot) applyLayers(draft, slot, target, transforms);
  if (transforms.toolless.length > 0 && transforms.toolless.some((test) => test(target.model))) {
    for (const field of TOOL_FIELDS) draft.delete(field);
  }
  return { body: draft.body, changed: draft.changed };
}

function applyLayers(
  draft: BodyDraft,
  slot: SystemPromptSlot,
  target: RouteTarget,
  transforms: CompiledTransforms,
): void {
  const model = target.model;
  applyFirstModelParams(draft, slot, model, transforms.modelParams);
  for (const rule of transforms.payloadRules) {
    if (!rule.tests.some((test) => test(model))) continue;
    setParams(draft, rule.inject, true);
    setParams(draft, rule.override, false);
  }
  const global = transforms.globalParams;
  if (global) {
    const override = global.mode === 'override';
    setParams(draft, global.params, !override);
    if (global.systemPrompt) {
      if (override) slot.replaceAll(draft, global.systemPrompt);
      else slot.prependToExisting(draft, global.systemPrompt);
    }
  }
  const provider = transforms.providers.get(target.provider);
  if (provider) {
    setParams(draft, provider.params, false);
    applyFirstModelParams(draft, slot, model, provider.modelParams);
    if (provider.systemPrompt) slot.insertFirst(draft, provider.systemPrompt);
  }
}

/** The first rule whose pattern matches forces its params and inserts its system prompt. */
function applyFirstModelParams(
  draft: BodyDraft,
  slot: SystemPromptSlot,
  model: string,
  rules: readonly CompiledModelParamsRule[],
): void {
  for (const rule of rules) {
    if (!rule.test(model)) continue;
    setParams(draft, rule.params, false);
    if (rule.systemPrompt) slot.insertFirst(draft, rule.systemPrompt);
    return;
  }
}

function setParams(draft: BodyDraft, params: readonly ParamEntry[], onlyIfAbsent: boolean): void {
  for (const param of params) draft.setParam(param.path, param.value, onlyIfAbsent);
}

/** Injectable face of {@link transformRequest}, applied by the relay to each target it tries. */
@Injectable()
export class RequestTransformer {
  transform(
    body: JsonObject,
    target: RouteTarget,
    endpoint: RelayEndpoint,
    config: RelayConfig,
  ): TransformResult {
    return transformRequest(body, target, endpoint, config);
  }
}
