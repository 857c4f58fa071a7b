import type { ChatFunctionTool, ChatToolChoice } from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import type { ResponsesFunctionTool, ResponsesTool, ResponsesToolChoice } from './responses.types';

const isFunctionTool = (tool: ResponsesTool): tool is ResponsesFunctionTool => tool.type === 'function';

/** Function tools as chat tools; a built-in tool (web_search, mcp, ...) has no chat form. */
export function toolsToChat(tools: readonly ResponsesTool[] | null | undefined): ChatFunctionTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw new UntranslatableError('tools', 'tools must be an array');
  return tools.map((tool, index) => {
    if (!tool || typeof tool !== 'object' || !isFunctionTool(tool)) {
      const type = tool && typeof tool === 'object' ? String(tool.type) : typeof tool;
      throw new UntranslatableError(
        `tools[${index}]`,
        `tools[${index}] is a built-in "${type}" tool, which only the OpenAI Responses API runs; ` +
          'a Chat Completions upstream takes function tools only',
      );
    }
    const fn: ChatFunctionTool['function'] = { name: tool.name };
    if (tool.description !== undefined && tool.description !== null) fn.description = tool.description;
    if (tool.parameters !== undefined && tool.parameters !== null) fn.parameters = tool.parameters;
    if (tool.strict !== undefined && tool.strict !== null) fn.strict = tool.strict;
    return { type: 'function', function: fn };
  });
}

/**
 * `tool_choice` in chat form. Returns undefined when chat should not get one: none was given, or
 * `auto`/`none` without tools (chat rejects a tool_choice without tools, and both mean "no call").
 */
export function toolChoiceToChat(
  choice: ResponsesToolChoice | null | undefined,
  hasTools: boolean,
): ChatToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto' || choice === 'none') return hasTools ? choice : undefined;
  if (choice === 'required') return choice;
  if (typeof choice === 'object' && choice.type === 'function' && typeof choice.name === 'string') {
    return { type: 'function', function: { name: choice.name } };
  }
  if (typeof choice === 'object' && choice.type === 'allowed_tools') {
    return allowedToolsToChat(choice as Extract<ResponsesToolChoice, { type: 'allowed_tools' }>);
  }
  const type = typeof choice === 'object' ? String(choice.type) : String(choice);
  throw new UntranslatableError(
    'tool_choice',
    `tool_choice "${type}" selects a built-in tool, which a Chat Completions upstream does not have`,
  );
}

function allowedToolsToChat(choice: Extract<ResponsesToolChoice, { type: 'allowed_tools' }>): ChatToolChoice {
  const tools = (choice.tools ?? []).map((tool, index) => {
    if (tool.type !== 'function' || typeof tool.name !== 'string') {
      throw new UntranslatableError(
        `tool_choice.tools[${index}]`,
        `tool_choice.tools[${index}] allows a built-in "${String(tool.type)}" tool, which a Chat Completions upstream does not have`,
      );
    }
    return { type: 'function', function: { name: tool.name } };
  });
  return { type: 'allowed_tools', allowed_tools: { mode: choice.mode, tools } };
}
