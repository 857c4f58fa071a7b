/**
 * Turns a stored body (OpenAI chat, OpenAI Responses or Anthropic Messages; JSON or an SSE stream)
 * into a conversation for display: who said what, thinking, tool calls and their results. Pure
 * functions, no Angular: whatever is not recognised is simply not shown (the raw view has it all).
 */

export type PartKind = 'text' | 'thinking' | 'tool_call' | 'tool_result' | 'image';

export interface Part {
  kind: PartKind;
  text: string;
  /** Tool name (tool calls), or the tool call id (results). */
  name?: string;
}

export interface Turn {
  role: string;
  parts: Part[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string =>
  typeof value === 'string' ? value : value == null ? '' : JSON.stringify(value);

/** JSON text pretty-printed; SSE and other text as is. */
export function prettyBody(body: string | null): string {
  if (body == null) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The turns of a request body (the prompt). */
export function requestTurns(body: string | null): Turn[] {
  const json = parseJson(body);
  if (!isObject(json)) return [];
  const turns: Turn[] = [];
  // Anthropic: top-level system (string or blocks).
  if (json['system'] !== undefined) turns.push({ role: 'system', parts: contentParts(json['system']) });
  // OpenAI Responses: instructions + input (string or items).
  if (typeof json['instructions'] === 'string')
    turns.push({ role: 'system', parts: [{ kind: 'text', text: json['instructions'] }] });
  if (typeof json['input'] === 'string')
    turns.push({ role: 'user', parts: [{ kind: 'text', text: json['input'] }] });
  else if (Array.isArray(json['input'])) turns.push(...json['input'].filter(isObject).map(responsesItem));
  if (Array.isArray(json['messages'])) turns.push(...json['messages'].filter(isObject).map(chatMessage));
  if (typeof json['prompt'] === 'string')
    turns.push({ role: 'user', parts: [{ kind: 'text', text: json['prompt'] }] });
  return turns.filter((turn) => turn.parts.length > 0);
}

/** The turns of a response body: a JSON answer, or the text of an SSE stream put back together. */
export function responseTurns(body: string | null): Turn[] {
  if (body == null || body.trim() === '') return [];
  const json = parseJson(body);
  if (json !== undefined) return answerTurns(json);
  return streamTurns(body);
}

function parseJson(body: string | null): unknown {
  if (body == null) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function chatMessage(message: Json): Turn {
  const parts: Part[] = [];
  const reasoning = message['reasoning_content'] ?? message['reasoning'];
  if (typeof reasoning === 'string' && reasoning) parts.push({ kind: 'thinking', text: reasoning });
  const role = str(message['role']) || 'user';
  if (role === 'tool') {
    parts.push({ kind: 'tool_result', text: textOf(message['content']), name: str(message['tool_call_id']) });
  } else {
    parts.push(...contentParts(message['content']));
  }
  if (Array.isArray(message['tool_calls'])) {
    for (const call of message['tool_calls'].filter(isObject)) {
      const fn = isObject(call['function']) ? call['function'] : {};
      parts.push({ kind: 'tool_call', name: str(fn['name']), text: prettyArgs(fn['arguments']) });
    }
  }
  return { role, parts };
}

function responsesItem(item: Json): Turn {
  const type = item['type'];
  if (type === 'function_call') {
    return {
      role: 'assistant',
      parts: [{ kind: 'tool_call', name: str(item['name']), text: prettyArgs(item['arguments']) }],
    };
  }
  if (type === 'function_call_output') {
    return {
      role: 'tool',
      parts: [{ kind: 'tool_result', name: str(item['call_id']), text: textOf(item['output']) }],
    };
  }
  if (type === 'reasoning') {
    const summary = Array.isArray(item['summary'])
      ? item['summary'].filter(isObject).map((s) => str(s['text']))
      : [];
    return { role: 'assistant', parts: [{ kind: 'thinking', text: summary.join('\n') }] };
  }
  return { role: str(item['role']) || 'user', parts: contentParts(item['content']) };
}

/** Content as a string, or as blocks (OpenAI parts, Anthropic blocks, Responses parts). */
function contentParts(content: unknown): Part[] {
  if (typeof content === 'string') return content ? [{ kind: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  const parts: Part[] = [];
  for (const block of content.filter(isObject)) {
    switch (block['type']) {
      case 'text':
      case 'input_text':
      case 'output_text':
        parts.push({ kind: 'text', text: str(block['text']) });
        break;
      case 'thinking':
        parts.push({ kind: 'thinking', text: str(block['thinking']) });
        break;
      case 'redacted_thinking':
        parts.push({ kind: 'thinking', text: '…' });
        break;
      case 'tool_use':
        parts.push({ kind: 'tool_call', name: str(block['name']), text: prettyArgs(block['input']) });
        break;
      case 'tool_result':
        parts.push({ kind: 'tool_result', name: str(block['tool_use_id']), text: textOf(block['content']) });
        break;
      case 'image':
      case 'image_url':
      case 'input_image':
        parts.push({ kind: 'image', text: '[image]' });
        break;
    }
  }
  return parts;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return contentParts(content)
      .map((part) => part.text)
      .join('\n');
  return str(content);
}

function prettyArgs(args: unknown): string {
  if (typeof args === 'string') {
    try {
      return JSON.stringify(JSON.parse(args), null, 2);
    } catch {
      return args;
    }
  }
  return JSON.stringify(args ?? {}, null, 2);
}

function answerTurns(json: unknown): Turn[] {
  if (!isObject(json)) return [];
  // OpenAI chat completion.
  if (Array.isArray(json['choices'])) {
    return json['choices']
      .filter(isObject)
      .map((choice) =>
        isObject(choice['message'])
          ? chatMessage(choice['message'])
          : { role: 'assistant', parts: [{ kind: 'text' as const, text: str(choice['text']) }] },
      );
  }
  // Anthropic message.
  if (json['type'] === 'message' && Array.isArray(json['content'])) {
    return [{ role: str(json['role']) || 'assistant', parts: contentParts(json['content']) }];
  }
  // OpenAI Responses.
  if (Array.isArray(json['output'])) return json['output'].filter(isObject).map(responsesItem);
  // An error answer.
  if (isObject(json['error']))
    return [{ role: 'error', parts: [{ kind: 'text', text: str(json['error']['message']) }] }];
  return [];
}

/** Rebuilds the answer from stream events (OpenAI chat chunks, Anthropic events, Responses events). */
function streamTurns(body: string): Turn[] {
  let text = '';
  let thinking = '';
  const tools: Array<{ name: string; args: string }> = [];
  const openaiTools = new Map<number, { name: string; args: string }>();
  let error = '';
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (!data || data === '[DONE]') continue;
    const event = parseJson(data);
    if (!isObject(event)) continue;
    if (Array.isArray(event['choices'])) {
      for (const choice of event['choices'].filter(isObject)) {
        const delta = isObject(choice['delta']) ? choice['delta'] : {};
        text += str(delta['content']);
        thinking += str(delta['reasoning_content'] ?? delta['reasoning']);
        if (Array.isArray(delta['tool_calls'])) {
          for (const call of delta['tool_calls'].filter(isObject)) {
            const index = typeof call['index'] === 'number' ? call['index'] : 0;
            const fn = isObject(call['function']) ? call['function'] : {};
            const tool = openaiTools.get(index) ?? { name: '', args: '' };
            tool.name += str(fn['name']);
            tool.args += str(fn['arguments']);
            openaiTools.set(index, tool);
          }
        }
      }
      continue;
    }
    switch (event['type']) {
      case 'content_block_start': {
        const block = isObject(event['content_block']) ? event['content_block'] : {};
        if (block['type'] === 'tool_use') tools.push({ name: str(block['name']), args: '' });
        if (block['type'] === 'text') text += str(block['text']);
        break;
      }
      case 'content_block_delta': {
        const delta = isObject(event['delta']) ? event['delta'] : {};
        if (delta['type'] === 'text_delta') text += str(delta['text']);
        else if (delta['type'] === 'thinking_delta') thinking += str(delta['thinking']);
        else if (delta['type'] === 'input_json_delta' && tools.length > 0)
          tools[tools.length - 1]!.args += str(delta['partial_json']);
        break;
      }
      case 'response.output_text.delta':
        text += str(event['delta']);
        break;
      case 'response.reasoning_summary_text.delta':
        thinking += str(event['delta']);
        break;
      case 'response.output_item.done': {
        const item = isObject(event['item']) ? event['item'] : {};
        if (item['type'] === 'function_call')
          tools.push({ name: str(item['name']), args: str(item['arguments']) });
        break;
      }
      case 'error':
        error = str(isObject(event['error']) ? event['error']['message'] : event['message']);
        break;
    }
    if (isObject(event['error']) && !event['type']) error = str(event['error']['message']);
  }
  const parts: Part[] = [];
  if (thinking) parts.push({ kind: 'thinking', text: thinking });
  if (text) parts.push({ kind: 'text', text });
  for (const tool of [...openaiTools.values(), ...tools])
    parts.push({ kind: 'tool_call', name: tool.name, text: prettyArgs(tool.args) });
  const turns: Turn[] = parts.length > 0 ? [{ role: 'assistant', parts }] : [];
  if (error) turns.push({ role: 'error', parts: [{ kind: 'text', text: error }] });
  return turns;
}
