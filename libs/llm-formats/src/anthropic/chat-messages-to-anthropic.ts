import type { ChatContentPart, ChatMessage } from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import { isRecord, parseBase64DataUrl } from './format-mapping';
import type {
  CacheControl,
  ContentBlockParam,
  ImageBlock,
  MessageParam,
  TextBlock,
  ToolResultBlock,
  ToolResultContentBlock,
} from './messages.types';
import { readReasoningDetails } from './reasoning-details';

interface Turn {
  role: 'user' | 'assistant';
  blocks: ContentBlockParam[];
  /** The turn is one chat message whose content was a plain string: keep it a string. */
  plain: boolean;
}

/**
 * A chat message list as Anthropic's `system` and alternating turns: system and developer
 * messages (wherever they stand) become the system prompt; consecutive same-role messages merge
 * into one turn; tool messages become tool_result blocks of a user turn, ahead of any text in it;
 * empty text is left out (Anthropic rejects it).
 */
export function chatMessagesToAnthropic(chatMessages: ChatMessage[]): {
  system: string | TextBlock[] | undefined;
  messages: MessageParam[];
} {
  const systemBlocks: TextBlock[] = [];
  const turns: Turn[] = [];
  chatMessages.forEach((message, i) => {
    const path = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        systemBlocks.push(...systemTextBlocks(message, path));
        return;
      case 'user':
        return addTurn(turns, {
          role: 'user',
          blocks: userBlocks(message.content, path),
          plain: typeof message.content === 'string',
        });
      case 'assistant':
        return addTurn(turns, assistantTurn(message, path));
      case 'tool':
        return addTurn(turns, { role: 'user', blocks: [toolResultBlock(message, path)], plain: false });
      default:
        throw new UntranslatableError(
          `${path}.role`,
          `role "${String(message.role)}" is not translated (the legacy function role: send tool messages)`,
        );
    }
  });
  return { system: systemValue(systemBlocks), messages: turns.map(toMessageParam) };
}

/** Appends a turn, merging it into the previous one when the role repeats (Anthropic alternates). */
function addTurn(turns: Turn[], turn: Turn): void {
  if (turn.blocks.length === 0) return;
  const previous = turns.at(-1);
  if (previous?.role !== turn.role) {
    turns.push(turn);
    return;
  }
  previous.blocks.push(...turn.blocks);
  previous.plain = false;
  // Anthropic wants a user turn's tool results before anything else in it.
  if (turn.role === 'user') previous.blocks = toolResultsFirst(previous.blocks);
}

function toolResultsFirst(blocks: ContentBlockParam[]): ContentBlockParam[] {
  const results = blocks.filter((block) => block.type === 'tool_result');
  if (results.length === 0) return blocks;
  return [...results, ...blocks.filter((block) => block.type !== 'tool_result')];
}

function toMessageParam(turn: Turn): MessageParam {
  const [only] = turn.blocks;
  if (turn.plain && turn.blocks.length === 1 && only.type === 'text' && !only.cache_control) {
    return { role: turn.role, content: only.text };
  }
  return { role: turn.role, content: turn.blocks };
}

function systemTextBlocks(message: ChatMessage, path: string): TextBlock[] {
  const content = message.content;
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part, j) => {
    if (part.type !== 'text') {
      throw new UntranslatableError(
        `${path}.content[${j}]`,
        `a system prompt part of type "${part.type}" cannot be carried: Anthropic system prompts are text`,
      );
    }
    return part.text ? [textBlock(part)] : [];
  });
}

/** Blocks when any part asks for prompt caching (only blocks carry cache_control), else a string. */
function systemValue(blocks: TextBlock[]): string | TextBlock[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control)) return blocks;
  return blocks.map((block) => block.text).join('\n\n');
}

function userBlocks(content: ChatMessage['content'], path: string): ContentBlockParam[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part, j) => userPartBlocks(part, `${path}.content[${j}]`));
}

function userPartBlocks(part: ChatContentPart, path: string): ContentBlockParam[] {
  switch (part.type) {
    case 'text': {
      const text = (part as { text?: unknown }).text;
      return typeof text === 'string' && text ? [textBlock(part)] : [];
    }
    case 'image_url':
      return [imageBlock(part, path)];
    case 'file':
      return [documentBlock(part, path)];
    default:
      throw new UntranslatableError(
        path,
        `a content part of type "${part.type}" cannot be carried to the Anthropic Messages API`,
      );
  }
}

function textBlock(part: ChatContentPart): TextBlock {
  const block: TextBlock = { type: 'text', text: String((part as { text?: unknown }).text ?? '') };
  const cacheControl = cacheControlOf(part);
  if (cacheControl) block.cache_control = cacheControl;
  return block;
}

/** `cache_control` on a chat part: the OpenRouter / Anthropic-compatible extension. */
function cacheControlOf(part: object): CacheControl | undefined {
  const value = (part as { cache_control?: unknown }).cache_control;
  return isRecord(value) && value.type === 'ephemeral' ? (value as unknown as CacheControl) : undefined;
}

function imageBlock(part: ChatContentPart, path: string): ImageBlock {
  const imageUrl = (part as { image_url?: unknown }).image_url;
  const url = typeof imageUrl === 'string' ? imageUrl : isRecord(imageUrl) ? imageUrl.url : undefined;
  const cacheControl = cacheControlOf(part);
  const withCache = (block: ImageBlock): ImageBlock =>
    cacheControl ? { ...block, cache_control: cacheControl } : block;
  if (typeof url === 'string') {
    const inline = parseBase64DataUrl(url);
    if (inline) {
      return withCache({
        type: 'image',
        source: { type: 'base64', media_type: inline.mediaType, data: inline.data },
      });
    }
    if (/^https?:\/\//i.test(url)) return withCache({ type: 'image', source: { type: 'url', url } });
  }
  throw new UntranslatableError(
    `${path}.image_url.url`,
    'an image must be an http(s) URL or a base64 data: URL to be carried to the Anthropic Messages API',
  );
}

/** Only inline PDFs have an Anthropic form (a base64 `document`). */
function documentBlock(part: ChatContentPart, path: string): ContentBlockParam {
  const file = (part as { file?: unknown }).file;
  const fileData = isRecord(file) ? file.file_data : undefined;
  const inline = typeof fileData === 'string' ? parseBase64DataUrl(fileData) : null;
  if (inline?.mediaType === 'application/pdf') {
    const filename = isRecord(file) ? file.filename : undefined;
    return {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: inline.data },
      ...(typeof filename === 'string' && filename && { title: filename }),
    };
  }
  throw new UntranslatableError(
    `${path}.file`,
    'only inline PDF files (file_data as a base64 data: URL) can be carried to the Anthropic Messages API',
  );
}

function assistantTurn(message: ChatMessage, path: string): Turn {
  if (message.function_call !== undefined && message.function_call !== null) {
    throw new UntranslatableError(
      `${path}.function_call`,
      'legacy function_call messages are not translated',
    );
  }
  const blocks: ContentBlockParam[] = thinkingBlocks(message);
  const content = message.content;
  if (typeof content === 'string') {
    if (content) blocks.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    content.forEach((part, j) => {
      const text = part.type === 'text' ? part.text : part.type === 'refusal' ? part.refusal : undefined;
      if (typeof text !== 'string') {
        throw new UntranslatableError(
          `${path}.content[${j}]`,
          `an assistant content part of type "${part.type}" cannot be carried to the Anthropic Messages API`,
        );
      }
      if (text) blocks.push({ type: 'text', text });
    });
  }
  if (typeof message.refusal === 'string' && message.refusal) {
    blocks.push({ type: 'text', text: message.refusal });
  }
  (message.tool_calls ?? []).forEach((call, j) =>
    blocks.push(toolUseBlock(call, `${path}.tool_calls[${j}]`)),
  );
  const plain = typeof content === 'string' && blocks.length === 1 && blocks[0].type === 'text';
  return { role: 'assistant', blocks, plain };
}

/**
 * Thinking blocks from `reasoning_details`. Only thinking Anthropic signed can be sent back:
 * unsigned reasoning (`reasoning_content` alone, or details without a signature) and other vendors'
 * reasoning are left out, as Anthropic itself strips earlier turns' thinking from the context.
 */
function thinkingBlocks(message: ChatMessage): ContentBlockParam[] {
  return readReasoningDetails(message).flatMap((entry): ContentBlockParam[] => {
    if (!entry.signedByAnthropic) return [];
    if (entry.kind === 'encrypted') return [{ type: 'redacted_thinking', data: entry.data }];
    return entry.signature ? [{ type: 'thinking', thinking: entry.text, signature: entry.signature }] : [];
  });
}

function toolUseBlock(call: NonNullable<ChatMessage['tool_calls']>[number], path: string): ContentBlockParam {
  if (call.type !== undefined && call.type !== 'function') {
    throw new UntranslatableError(
      `${path}.type`,
      `a tool call of type "${String(call.type)}" cannot be carried to the Anthropic Messages API`,
    );
  }
  if (typeof call.id !== 'string' || !call.id) {
    throw new UntranslatableError(`${path}.id`, 'a tool call needs an id for its result to refer to');
  }
  return { type: 'tool_use', id: call.id, name: call.function?.name ?? '', input: toolInput(call, path) };
}

function toolInput(
  call: NonNullable<ChatMessage['tool_calls']>[number],
  path: string,
): Record<string, unknown> {
  const args = call.function?.arguments;
  if (args === undefined || args === null || (typeof args === 'string' && args.trim() === '')) return {};
  let parsed: unknown = args;
  if (typeof args === 'string') {
    try {
      parsed = JSON.parse(args);
    } catch {
      parsed = undefined;
    }
  }
  if (!isRecord(parsed)) {
    throw new UntranslatableError(
      `${path}.function.arguments`,
      'tool call arguments must be a JSON object to be carried to the Anthropic Messages API',
    );
  }
  return parsed;
}

/**
 * A tool message becomes a tool_result. OpenAI has no error flag for tool results: `is_error: true`
 * on the tool message (MonoRelay's extension, Anthropic's name) marks an error result.
 */
function toolResultBlock(message: ChatMessage, path: string): ToolResultBlock {
  if (typeof message.tool_call_id !== 'string' || !message.tool_call_id) {
    throw new UntranslatableError(`${path}.tool_call_id`, 'a tool message needs the tool_call_id it answers');
  }
  const block: ToolResultBlock = { type: 'tool_result', tool_use_id: message.tool_call_id };
  const content = message.content;
  if (typeof content === 'string') {
    if (content) block.content = content;
  } else if (Array.isArray(content)) {
    const blocks = content.flatMap((part, j): ToolResultContentBlock[] => {
      const partPath = `${path}.content[${j}]`;
      if (part.type === 'text') return userPartBlocks(part, partPath) as TextBlock[];
      if (part.type === 'image_url') return [imageBlock(part, partPath)];
      throw new UntranslatableError(
        partPath,
        `a tool result part of type "${part.type}" cannot be carried to the Anthropic Messages API`,
      );
    });
    if (blocks.length > 0) block.content = blocks;
  }
  if (message.is_error === true) block.is_error = true;
  return block;
}
