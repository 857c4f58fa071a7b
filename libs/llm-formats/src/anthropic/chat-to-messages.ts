/**
 * An OpenAI Chat Completions client talking to an Anthropic Messages upstream: the request goes
 * chat -> messages, the answer comes back messages -> chat (see the two modules re-exported below).
 */
import type { ChatFunctionTool, ChatRequest } from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import { chatMessagesToAnthropic } from './chat-messages-to-anthropic';
import { isRecord, THINKING_BUDGET_BY_EFFORT } from './format-mapping';
import type { CustomTool, MessagesRequest, MessagesToolChoice } from './messages.types';

export { messagesToChatResponse } from './messages-response-to-chat';
export { createMessagesToChatStream } from './messages-stream-to-chat';

/**
 * Anthropic requires `max_tokens`; OpenAI does not. 4096 is the largest value every Claude model
 * accepts. With thinking on, the thinking budget comes on top of it.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's smallest thinking budget. */
const MIN_THINKING_BUDGET = 1024;

/** Fields that have no effect on the answer's meaning, or none an Anthropic upstream could honour. */
const IGNORED_FIELDS = new Set([
  // Anthropic streams always carry usage.
  'stream_options',
  // OpenAI-side storage, dashboards, billing tier and cache routing.
  'store',
  'metadata',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  // Best effort by OpenAI's own definition; Anthropic has no seed.
  'seed',
]);

/** Fields accepted only at the value that changes nothing. */
const NEUTRAL_VALUES: Readonly<Record<string, (value: unknown) => boolean>> = {
  n: (value) => value === 1,
  logprobs: (value) => value === false,
  top_logprobs: (value) => value === 0,
  frequency_penalty: (value) => value === 0,
  presence_penalty: (value) => value === 0,
  logit_bias: (value) => isRecord(value) && Object.keys(value).length === 0,
  modalities: (value) => Array.isArray(value) && value.every((modality) => modality === 'text'),
  verbosity: (value) => value === 'medium',
};

const UNTRANSLATABLE_REASONS: Readonly<Record<string, string>> = {
  n: 'n > 1 cannot be carried: the Anthropic Messages API returns one answer per request',
  logprobs: 'logprobs cannot be carried: the Anthropic Messages API does not return log probabilities',
  top_logprobs:
    'top_logprobs cannot be carried: the Anthropic Messages API does not return log probabilities',
  frequency_penalty: 'frequency_penalty has no equivalent in the Anthropic Messages API',
  presence_penalty: 'presence_penalty has no equivalent in the Anthropic Messages API',
  logit_bias: 'logit_bias has no equivalent in the Anthropic Messages API',
  modalities: 'only text output can be carried to the Anthropic Messages API',
  audio: 'audio output cannot be carried to the Anthropic Messages API',
  prediction: 'predicted outputs have no equivalent in the Anthropic Messages API',
  functions: 'the legacy `functions` parameter is not translated: send `tools`',
  function_call: 'the legacy `function_call` parameter is not translated: send `tool_choice`',
  web_search_options: 'web_search_options cannot be carried: declare the search as a function tool',
};

const HANDLED_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'user',
  'safety_identifier',
  'reasoning_effort',
  'reasoning',
  'response_format',
]);

/**
 * Translates a chat request into an Anthropic Messages request. Throws {@link UntranslatableError}
 * naming the field when something cannot be carried (the relay answers 400 in the client's format).
 */
export function chatToMessagesRequest(request: ChatRequest): MessagesRequest {
  rejectUncarriedFields(request);
  if (!Array.isArray(request.messages))
    throw new UntranslatableError('messages', 'messages must be an array');
  const { system, messages } = chatMessagesToAnthropic(request.messages);
  const thinkingBudget = requestedThinkingBudget(request);
  const result: MessagesRequest = {
    model: request.model,
    ...(system !== undefined && { system }),
    messages,
    max_tokens: maxTokens(request, thinkingBudget),
  };
  const stopSequences = convertStop(request.stop);
  if (stopSequences) result.stop_sequences = stopSequences;
  copySampling(request, result);
  const tools = request.tools;
  if (Array.isArray(tools) && tools.length > 0) {
    result.tools = tools.map(convertTool);
    const toolChoice = convertToolChoice(request);
    if (toolChoice) result.tool_choice = toolChoice;
  }
  if (thinkingBudget !== null) {
    result.thinking = {
      type: 'enabled',
      budget_tokens: fittedThinkingBudget(thinkingBudget, result.max_tokens),
    };
  }
  const userId = request.user ?? request.safety_identifier;
  if (typeof userId === 'string' && userId.length > 0) result.metadata = { user_id: userId };
  const format = convertResponseFormat(request);
  if (format) result.output_config = { format };
  if (typeof request.stream === 'boolean') result.stream = request.stream;
  return result;
}

function rejectUncarriedFields(request: ChatRequest): void {
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    if (HANDLED_FIELDS.has(field) || IGNORED_FIELDS.has(field)) continue;
    if (NEUTRAL_VALUES[field]?.(value)) continue;
    throw new UntranslatableError(
      field,
      UNTRANSLATABLE_REASONS[field] ?? `${field} has no equivalent in the Anthropic Messages API`,
    );
  }
}

/** Anthropic rejects stop sequences made only of whitespace (OpenAI clients often send "\n"). */
function convertStop(stop: ChatRequest['stop']): string[] | undefined {
  const sequences = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [];
  sequences.forEach((sequence, i) => {
    if (typeof sequence !== 'string' || sequence.trim() === '') {
      throw new UntranslatableError(
        typeof stop === 'string' ? 'stop' : `stop[${i}]`,
        'a stop sequence made only of whitespace cannot be carried: Anthropic rejects it',
      );
    }
  });
  return sequences.length > 0 ? [...sequences] : undefined;
}

function copySampling(request: ChatRequest, result: MessagesRequest): void {
  if (typeof request.temperature === 'number') {
    if (request.temperature > 1) {
      throw new UntranslatableError(
        'temperature',
        `temperature ${request.temperature} cannot be carried: Anthropic accepts 0 to 1`,
      );
    }
    result.temperature = request.temperature;
  }
  if (typeof request.top_p === 'number') result.top_p = request.top_p;
  if (typeof request.top_k === 'number') result.top_k = request.top_k;
}

// ---------------------------------------------------------------------------------------------
// Tools

function convertTool(tool: NonNullable<ChatRequest['tools']>[number], i: number): CustomTool {
  const fn = (tool as ChatFunctionTool).function;
  if (tool.type !== 'function' || !isRecord(fn) || typeof fn.name !== 'string') {
    throw new UntranslatableError(
      `tools[${i}]`,
      `a tool of type "${String(tool.type)}" cannot be carried: Anthropic custom tools are functions`,
    );
  }
  const converted: CustomTool = {
    name: fn.name,
    ...(typeof fn.description === 'string' && { description: fn.description }),
    input_schema: (isRecord(fn.parameters)
      ? fn.parameters
      : { type: 'object', properties: {} }) as CustomTool['input_schema'],
  };
  if (fn.strict === true) converted.strict = true;
  return converted;
}

function convertToolChoice(request: ChatRequest): MessagesToolChoice | undefined {
  const choice = request.tool_choice;
  const serial = request.parallel_tool_calls === false;
  const parallelFlag = serial ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null || choice === 'auto') {
    return serial
      ? { type: 'auto', disable_parallel_tool_use: true }
      : choice === 'auto'
        ? { type: 'auto' }
        : undefined;
  }
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...parallelFlag };
  if (isRecord(choice) && choice.type === 'function') {
    const name = isRecord(choice.function) ? choice.function.name : undefined;
    if (typeof name === 'string' && name) return { type: 'tool', name, ...parallelFlag };
  }
  throw new UntranslatableError('tool_choice', 'tool_choice must be auto, none, required or a function');
}

// ---------------------------------------------------------------------------------------------
// Limits, thinking and output format

/**
 * The thinking budget the client asks for: `reasoning_effort` (see THINKING_BUDGET_BY_EFFORT), or
 * OpenRouter's `reasoning` object ({max_tokens} is a budget, {effort}, {enabled}). Null: no thinking.
 */
function requestedThinkingBudget(request: ChatRequest): number | null {
  const reasoning = request.reasoning;
  if (reasoning !== undefined && reasoning !== null) {
    if (!isRecord(reasoning)) throw new UntranslatableError('reasoning', 'reasoning must be an object');
    if (reasoning.exclude === true) {
      throw new UntranslatableError(
        'reasoning.exclude',
        'reasoning.exclude cannot be carried: Anthropic returns the thinking it does',
      );
    }
    if (reasoning.enabled === false || reasoning.effort === 'none') return null;
    if (typeof reasoning.max_tokens === 'number') {
      if (reasoning.max_tokens < MIN_THINKING_BUDGET) {
        throw new UntranslatableError(
          'reasoning.max_tokens',
          `reasoning.max_tokens ${reasoning.max_tokens} is below Anthropic's smallest thinking budget (${MIN_THINKING_BUDGET})`,
        );
      }
      return reasoning.max_tokens;
    }
    if (reasoning.effort !== undefined && reasoning.effort !== null) {
      return budgetForEffort(reasoning.effort, 'reasoning.effort');
    }
    if (reasoning.enabled === true) return THINKING_BUDGET_BY_EFFORT.medium;
  }
  const effort = request.reasoning_effort;
  if (effort === undefined || effort === null || effort === 'none') return null;
  return budgetForEffort(effort, 'reasoning_effort');
}

function budgetForEffort(effort: unknown, param: string): number {
  const budget = typeof effort === 'string' ? THINKING_BUDGET_BY_EFFORT[effort] : undefined;
  if (budget === undefined) {
    throw new UntranslatableError(
      param,
      `${param} must be one of none, ${Object.keys(THINKING_BUDGET_BY_EFFORT).join(', ')}`,
    );
  }
  return budget;
}

function maxTokens(request: ChatRequest, thinkingBudget: number | null): number {
  const param = typeof request.max_completion_tokens === 'number' ? 'max_completion_tokens' : 'max_tokens';
  const asked = request.max_completion_tokens ?? request.max_tokens;
  if (typeof asked !== 'number') return ANTHROPIC_DEFAULT_MAX_TOKENS + (thinkingBudget ?? 0);
  // OpenAI counts reasoning inside the completion limit, as Anthropic counts thinking in max_tokens;
  // the budget must leave room (budget < max_tokens, budget >= 1024).
  if (thinkingBudget !== null && asked <= MIN_THINKING_BUDGET) {
    throw new UntranslatableError(
      param,
      `${param} ${asked} leaves no room for thinking: Anthropic needs more than ${MIN_THINKING_BUDGET} tokens with reasoning on`,
    );
  }
  return asked;
}

/**
 * The budget must stay below max_tokens (thinking counts toward it) and leave the answer room:
 * up to ANTHROPIC_DEFAULT_MAX_TOKENS of the limit, or half of a smaller limit, stays for the answer
 * (the budget never goes below Anthropic's 1024).
 */
function fittedThinkingBudget(budget: number, maxTokens: number): number {
  const answerRoom = Math.min(ANTHROPIC_DEFAULT_MAX_TOKENS, Math.floor(maxTokens / 2));
  return Math.max(MIN_THINKING_BUDGET, Math.min(budget, maxTokens - answerRoom));
}

function convertResponseFormat(
  request: ChatRequest,
): NonNullable<MessagesRequest['output_config']>['format'] {
  const format = request.response_format;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_schema') {
    const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    if (isRecord(schema)) return { type: 'json_schema', schema };
    throw new UntranslatableError(
      'response_format.json_schema.schema',
      'a json_schema response format needs a schema',
    );
  }
  throw new UntranslatableError(
    'response_format',
    `response_format "${format.type}" cannot be carried: Anthropic enforces JSON only with a schema (json_schema)`,
  );
}
