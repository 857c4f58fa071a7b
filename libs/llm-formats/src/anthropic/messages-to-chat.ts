/**
 * An Anthropic Messages client (Claude Code, the Anthropic SDK) talking to an OpenAI-compatible
 * upstream: the request goes messages -> chat, the answer comes back chat -> messages (see the two
 * modules re-exported below).
 */
import type { ChatFunctionTool, ChatRequest, ChatToolChoice } from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import { anthropicMessagesToChat } from './anthropic-messages-to-chat';
import { effortForThinkingBudget } from './format-mapping';
import type { CustomTool, MessagesRequest, MessagesTool } from './messages.types';

export { chatToMessagesResponse } from './chat-response-to-messages';
export { createChatToMessagesStream } from './chat-stream-to-messages';

const HANDLED_FIELDS = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'thinking',
  'metadata',
  'output_config',
]);

/**
 * Fields that do not change what the answer means: prompt-caching and capacity hints (OpenAI-style
 * upstreams cache on their own), Bedrock/Vertex envelope fields, and server-side context editing
 * (without it the upstream simply receives the whole history).
 */
const IGNORED_FIELDS = new Set([
  'cache_control',
  'service_tier',
  'speed',
  'inference_geo',
  'diagnostics',
  'context_management',
  'anthropic_version',
  'anthropic_beta',
]);

/**
 * Translates an Anthropic Messages request into a chat request. Throws
 * {@link UntranslatableError} naming the field when something cannot be carried.
 */
export function messagesToChatRequest(request: MessagesRequest): ChatRequest {
  rejectUncarriedFields(request);
  if (!Array.isArray(request.messages))
    throw new UntranslatableError('messages', 'messages must be an array');
  const result: ChatRequest = {
    model: request.model,
    messages: anthropicMessagesToChat(request.system, request.messages),
  };
  if (typeof request.max_tokens === 'number') result.max_tokens = request.max_tokens;
  if (Array.isArray(request.stop_sequences) && request.stop_sequences.length > 0) {
    result.stop = [...request.stop_sequences];
  }
  if (typeof request.temperature === 'number') result.temperature = request.temperature;
  if (typeof request.top_p === 'number') result.top_p = request.top_p;
  if (typeof request.top_k === 'number') result.top_k = request.top_k;
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    result.tools = request.tools.map(convertTool);
    Object.assign(result, convertToolChoice(request.tool_choice));
  }
  const effort = reasoningEffort(request);
  if (effort) result.reasoning_effort = effort;
  const userId = request.metadata?.user_id;
  if (typeof userId === 'string' && userId) result.user = userId;
  const format = request.output_config?.format;
  if (format) {
    result.response_format = {
      type: 'json_schema',
      json_schema: { name: 'response', schema: format.schema, strict: true },
    };
  }
  if (request.stream === true) {
    result.stream = true;
    result.stream_options = { include_usage: true };
  } else if (request.stream === false) {
    result.stream = false;
  }
  return result;
}

function rejectUncarriedFields(request: MessagesRequest): void {
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    if (HANDLED_FIELDS.has(field) || IGNORED_FIELDS.has(field)) continue;
    throw new UntranslatableError(field, `${field} has no equivalent in the OpenAI Chat Completions API`);
  }
  const outputConfig = request.output_config;
  if (outputConfig && typeof outputConfig === 'object') {
    for (const [field, value] of Object.entries(outputConfig)) {
      if (value === undefined || value === null || field === 'effort') continue;
      if (field === 'format' && (value as { type?: unknown }).type === 'json_schema') continue;
      throw new UntranslatableError(
        `output_config.${field}`,
        `output_config.${field} has no equivalent in the OpenAI Chat Completions API`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Tools and reasoning

function isCustomTool(tool: MessagesTool): tool is CustomTool {
  return (tool.type === undefined || tool.type === null || tool.type === 'custom') && 'input_schema' in tool;
}

function convertTool(tool: MessagesTool, i: number): ChatFunctionTool {
  if (!tool || !isCustomTool(tool)) {
    throw new UntranslatableError(
      `tools[${i}]`,
      `the server tool "${String(tool?.type)}" runs inside Anthropic and cannot be carried to an OpenAI-compatible upstream`,
    );
  }
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined && { description: tool.description }),
      parameters: tool.input_schema,
      ...(tool.strict === true && { strict: true }),
    },
  };
}

function convertToolChoice(choice: MessagesRequest['tool_choice']): {
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
} {
  if (!choice) return {};
  const serial = 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true;
  const parallel = serial ? { parallel_tool_calls: false } : {};
  switch (choice.type) {
    case 'auto':
      return { tool_choice: 'auto', ...parallel };
    case 'any':
      return { tool_choice: 'required', ...parallel };
    case 'none':
      return { tool_choice: 'none' };
    case 'tool':
      return { tool_choice: { type: 'function', function: { name: choice.name } }, ...parallel };
    default:
      throw new UntranslatableError(
        'tool_choice.type',
        `tool_choice "${String((choice as { type?: unknown }).type)}" has no chat equivalent`,
      );
  }
}

/**
 * `output_config.effort` when given (xhigh and max become high, the highest effort every
 * OpenAI-compatible reasoning API accepts), else the thinking budget mapped by
 * effortForThinkingBudget. Adaptive thinking leaves the choice to the upstream's default.
 */
function reasoningEffort(request: MessagesRequest): 'low' | 'medium' | 'high' | undefined {
  const effort = request.output_config?.effort;
  if (effort === 'low' || effort === 'medium' || effort === 'high') return effort;
  if (effort === 'xhigh' || effort === 'max') return 'high';
  if (effort !== undefined && effort !== null) {
    throw new UntranslatableError(
      'output_config.effort',
      `output_config.effort "${String(effort)}" is not known`,
    );
  }
  const thinking = request.thinking;
  if (!thinking) return undefined;
  switch (thinking.type) {
    case 'enabled':
      return effortForThinkingBudget(thinking.budget_tokens);
    case 'disabled':
    case 'adaptive':
      return undefined;
    default:
      throw new UntranslatableError(
        'thinking.type',
        `thinking "${String((thinking as { type?: unknown }).type)}" has no chat equivalent`,
      );
  }
}
