import type { ChatContentPart, ChatMessage, ChatReasoningDetail, ChatToolCall } from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import { base64DataUrl, encryptedReasoningDetail, reasoningTextDetail } from './format-mapping';
import type {
  DocumentBlock,
  ImageBlock,
  MessageParam,
  MessagesRequest,
  ToolResultBlock,
} from './messages.types';

/**
 * Anthropic's `system` and turns as a chat message list: the system prompt first, then each turn
 * (a user turn with tool results becomes tool messages followed by a user message).
 */
export function anthropicMessagesToChat(
  system: MessagesRequest['system'],
  messages: MessageParam[],
): ChatMessage[] {
  const result: ChatMessage[] = [];
  const systemPrompt = systemText(system);
  if (systemPrompt) result.push({ role: 'system', content: systemPrompt });
  messages.forEach((message, i) => result.push(...convertMessage(message, `messages[${i}]`)));
  return result;
}

/** System blocks become one system message, joined by blank lines (cache_control is a caching hint). */
function systemText(system: MessagesRequest['system']): string {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system
    .map((block, j) => {
      if (block?.type !== 'text') {
        throw new UntranslatableError(`system[${j}]`, 'system prompt blocks must be text');
      }
      return block.text;
    })
    .filter((text) => text.length > 0)
    .join('\n\n');
}

function convertMessage(message: MessageParam, path: string): ChatMessage[] {
  if (message.role === 'user') return convertUserMessage(message.content, path);
  if (message.role === 'assistant') return [convertAssistantMessage(message.content, path)];
  throw new UntranslatableError(`${path}.role`, `role "${String(message.role)}" is not a Messages API role`);
}

/**
 * A user turn: each tool_result becomes a `tool` message (OpenAI wants them right after the
 * assistant's tool calls), then the rest of the turn becomes one user message after them. Images
 * inside tool results move into that user message (OpenAI tool messages carry text only), each
 * group introduced by a line naming the tool call.
 */
function convertUserMessage(content: MessageParam['content'], path: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  if (!Array.isArray(content))
    throw new UntranslatableError(`${path}.content`, 'content must be a string or blocks');
  const toolMessages: ChatMessage[] = [];
  const toolImages: ChatContentPart[] = [];
  const parts: ChatContentPart[] = [];
  content.forEach((block, j) => {
    const blockPath = `${path}.content[${j}]`;
    switch (block?.type) {
      case 'tool_result': {
        const { message, images } = convertToolResult(block, blockPath);
        toolMessages.push(message);
        if (images.length > 0) {
          toolImages.push(
            { type: 'text', text: `Images from the result of tool call ${block.tool_use_id}:` },
            ...images,
          );
        }
        return;
      }
      case 'text':
        if (block.text) parts.push({ type: 'text', text: block.text });
        return;
      case 'image':
        parts.push(imagePart(block, blockPath));
        return;
      case 'document':
        parts.push(filePart(block, blockPath));
        return;
      default:
        throw untranslatableBlock(block, blockPath, 'a user turn');
    }
  });
  const userParts = [...toolImages, ...parts];
  if (userParts.length === 0) {
    // An empty user turn (only empty text) still is a turn: keep it rather than merging neighbours.
    return toolMessages.length > 0 ? toolMessages : [{ role: 'user', content: '' }];
  }
  const only =
    userParts.length === 1 && userParts[0].type === 'text' ? (userParts[0] as { text: string }) : null;
  return [...toolMessages, { role: 'user', content: only ? only.text : userParts }];
}

/**
 * A tool_result as a `tool` message. OpenAI has no error flag: `is_error: true` travels on the tool
 * message (MonoRelay's extension, which `chatToMessagesRequest` reads back); the content,
 * which an OpenAI model does read, is left exactly as the client wrote it.
 */
function convertToolResult(
  block: ToolResultBlock,
  path: string,
): { message: ChatMessage; images: ChatContentPart[] } {
  const texts: string[] = [];
  const images: ChatContentPart[] = [];
  const content = block.content;
  if (typeof content === 'string') {
    texts.push(content);
  } else if (Array.isArray(content)) {
    content.forEach((inner, k) => {
      const innerPath = `${path}.content[${k}]`;
      if (inner?.type === 'text') {
        if (inner.text) texts.push(inner.text);
      } else if (inner?.type === 'image') {
        images.push(imagePart(inner, innerPath));
      } else {
        throw untranslatableBlock(inner, innerPath, 'a tool result');
      }
    });
  }
  const message: ChatMessage = {
    role: 'tool',
    tool_call_id: block.tool_use_id,
    content: texts.length > 1 ? texts.map((text) => ({ type: 'text', text })) : (texts[0] ?? ''),
  };
  if (block.is_error === true) message.is_error = true;
  return { message, images };
}

/**
 * An assistant turn: text blocks joined into `content` (as a streamed answer concatenates them),
 * tool_use blocks as `tool_calls`, thinking as `reasoning_content` plus `reasoning_details` that
 * keep each block's signature (and redacted thinking's data) for the way back.
 */
function convertAssistantMessage(content: MessageParam['content'], path: string): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  if (!Array.isArray(content))
    throw new UntranslatableError(`${path}.content`, 'content must be a string or blocks');
  let text = '';
  let reasoning = '';
  const reasoningDetails: ChatReasoningDetail[] = [];
  const toolCalls: ChatToolCall[] = [];
  content.forEach((block, j) => {
    switch (block?.type) {
      case 'text':
        text += block.text;
        return;
      case 'thinking':
        reasoning += block.thinking;
        reasoningDetails.push(reasoningTextDetail(block.thinking, block.signature, reasoningDetails.length));
        return;
      case 'redacted_thinking':
        reasoningDetails.push(encryptedReasoningDetail(block.data, reasoningDetails.length));
        return;
      case 'tool_use':
        toolCalls.push({
          id: block.id,
          type: 'function',
          function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
        });
        return;
      default:
        throw untranslatableBlock(block, `${path}.content[${j}]`, 'an assistant turn');
    }
  });
  const message: ChatMessage = { role: 'assistant', content: text || (toolCalls.length > 0 ? null : '') };
  if (reasoning) message.reasoning_content = reasoning;
  if (reasoningDetails.length > 0) message.reasoning_details = reasoningDetails;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function imagePart(block: ImageBlock, path: string): ChatContentPart {
  const source = block.source;
  if (source?.type === 'base64') {
    return { type: 'image_url', image_url: { url: base64DataUrl(source.media_type, source.data) } };
  }
  if (source?.type === 'url') return { type: 'image_url', image_url: { url: source.url } };
  throw new UntranslatableError(
    `${path}.source`,
    `an image source of type "${String(source?.type)}" cannot be carried: send base64 data or a URL`,
  );
}

/** Inline PDFs travel as OpenAI `file` parts; other document sources have no chat form. */
function filePart(block: DocumentBlock, path: string): ChatContentPart {
  const source = block.source;
  if (
    source?.type === 'base64' &&
    source.media_type === 'application/pdf' &&
    typeof source.data === 'string'
  ) {
    return {
      type: 'file',
      file: {
        ...(block.title && { filename: block.title }),
        file_data: base64DataUrl('application/pdf', source.data),
      },
    };
  }
  throw new UntranslatableError(
    `${path}.source`,
    'only base64 PDF documents can be carried to the OpenAI Chat Completions API',
  );
}

function untranslatableBlock(block: unknown, path: string, where: string): UntranslatableError {
  const type = block && typeof block === 'object' ? String((block as { type?: unknown }).type) : typeof block;
  return new UntranslatableError(
    path,
    `a "${type}" block in ${where} cannot be carried to the OpenAI Chat Completions API`,
  );
}
