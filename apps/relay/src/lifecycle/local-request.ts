import type { LifecycleConfig, SamplingDefaults } from '../config/relay-config';

/** Headers that carry a client's session, first present wins (Relay's order). */
export const SESSION_HEADERS = ['session-id', 'session_id', 'x-session-affinity', 'x-client-request-id'];

export function sessionIdOf(headers: Record<string, string | string[] | undefined>): string | null {
  for (const name of SESSION_HEADERS) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text && text.trim()) return text.trim().slice(0, 256);
  }
  return null;
}

/** Fields llama-server's OpenAI-compatible endpoints understand (chat, completions, embeddings). */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'prompt',
  'input',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'temperature',
  'top_p',
  'top_k',
  'min_p',
  'typical_p',
  'presence_penalty',
  'frequency_penalty',
  'repeat_penalty',
  'repeat_last_n',
  'stop',
  'seed',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'json_schema',
  'grammar',
  'reasoning_format',
  'reasoning_effort',
  'chat_template_kwargs',
  'cache_prompt',
  'mirostat',
  'mirostat_tau',
  'mirostat_eta',
  'n_probs',
  'samplers',
  'dry_multiplier',
  'dry_base',
  'dry_allowed_length',
  'xtc_probability',
  'xtc_threshold',
  'encoding_format',
  'dimensions',
  'id_slot',
  'echo',
  'suffix',
]);

export type LocalBodyResult =
  | { ok: true; body: Record<string, unknown>; changed: boolean; stripped: string[] }
  | { ok: false; field: string; message: string };

/**
 * A local model's request: unknown fields handled per `unknown_field_policy`, then sampling
 * defaults (the model's over the block's) set where the client left them out.
 */
export function prepareLocalBody(
  body: Record<string, unknown>,
  model: string,
  settings: LifecycleConfig,
): LocalBodyResult {
  const unknown = Object.keys(body).filter((key) => !KNOWN_FIELDS.has(key));
  let out = body;
  let changed = false;
  if (unknown.length > 0 && settings.unknown_field_policy === 'reject') {
    return {
      ok: false,
      field: unknown[0],
      message: `Unsupported field${unknown.length > 1 ? 's' : ''} for local model ${model}: ${unknown.join(', ')}`,
    };
  }
  const stripped = settings.unknown_field_policy === 'strip' ? unknown : [];
  if (stripped.length > 0) {
    out = { ...body };
    for (const key of stripped) delete out[key];
    changed = true;
  }
  const own = settings.models[model]?.sampling;
  for (const key of Object.keys(settings.sampling) as (keyof SamplingDefaults)[]) {
    const value = own?.[key] ?? settings.sampling[key];
    if (value === null || value === undefined || out[key] !== undefined) continue;
    if (!changed) out = { ...out };
    out[key] = value;
    changed = true;
  }
  return { ok: true, body: out, changed, stripped };
}
