import type {
  ChatContentPart,
  ChatImagePart,
  ChatMessage,
  ChatReasoningDetail,
  ChatTextPart,
  ChatToolCall,
} from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import { unpackEncryptedContent } from './reasoning-carrier';
import type {
  ResponsesContentPart,
  ResponsesFunctionCallItem,
  ResponsesFunctionCallOutputItem,
  ResponsesInputItem,
  ResponsesMessageItem,
  ResponsesReasoningItem,
} from './responses.types';

/**
 * The assistant turn being assembled. Consecutive assistant-side items (reasoning, assistant
 * messages, function calls) form ONE chat assistant message: that is how chat carries a turn with
 * reasoning, text and parallel tool calls, and the inverse of how a chat answer becomes items.
 */
interface AssistantTurn {
  texts: string[];
  refusals: string[];
  toolCalls: ChatToolCall[];
  reasoningTexts: string[];
  reasoningDetails: ChatReasoningDetail[];
}

/** `instructions` + `input` as chat messages, in order. */
export function inputToChatMessages(
  instructions: string | null | undefined,
  input: string | ResponsesInputItem[] | undefined,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (typeof instructions === 'string' && instructions !== '') {
    messages.push({ role: 'system', content: instructions });
  }
  if (input === undefined || input === null) return messages;
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: input });
    return messages;
  }
  if (!Array.isArray(input)) {
    throw new UntranslatableError('input', 'input must be a string or an array of items');
  }

  let turn: AssistantTurn | null = null;
  const closeTurn = () => {
    if (turn) {
      const message = assistantMessage(turn);
      if (message) messages.push(message);
    }
    turn = null;
  };
  const openTurn = (): AssistantTurn =>
    (turn ??= { texts: [], refusals: [], toolCalls: [], reasoningTexts: [], reasoningDetails: [] });

  input.forEach((item, index) => {
    const at = `input[${index}]`;
    if (!item || typeof item !== 'object') throw new UntranslatableError(at, `${at} is not an input item`);
    switch (itemType(item)) {
      case 'message': {
        const message = item as ResponsesMessageItem;
        if (message.role === 'assistant') {
          addAssistantContent(openTurn(), message, at);
        } else {
          closeTurn();
          messages.push(nonAssistantMessage(message, at));
        }
        return;
      }
      case 'function_call':
        openTurn().toolCalls.push(toolCall(item as ResponsesFunctionCallItem, at));
        return;
      case 'reasoning':
        addReasoning(openTurn(), item as ResponsesReasoningItem);
        return;
      case 'function_call_output':
        closeTurn();
        messages.push(toolMessage(item as ResponsesFunctionCallOutputItem, at));
        return;
      case 'item_reference':
        throw new UntranslatableError(
          at,
          `${at} is an item_reference: it needs the item stored by an earlier response, and this upstream ` +
            'serves Chat Completions through a stateless relay; send the item itself',
        );
      default:
        throw new UntranslatableError(
          at,
          `${at} has type "${itemType(item)}", which only the OpenAI Responses API serves; ` +
            'a Chat Completions upstream takes messages, function calls and their outputs',
        );
    }
  });
  closeTurn();
  return messages;
}

function itemType(item: object): string {
  const type = (item as { type?: unknown }).type;
  if (type === undefined && 'role' in item) return 'message';
  return typeof type === 'string' ? type : String(type);
}

/**
 * A turn holding only reasoning (an answer cut off while thinking) has nothing chat can carry: chat
 * keeps reasoning on an assistant message, and an empty assistant message would change the
 * conversation. It is left out, as the OpenAI API itself drops earlier turns' reasoning.
 */
function assistantMessage(turn: AssistantTurn): ChatMessage | null {
  if (turn.texts.length === 0 && turn.refusals.length === 0 && turn.toolCalls.length === 0) return null;
  const message: ChatMessage = {
    role: 'assistant',
    content:
      turn.texts.length === 0
        ? null
        : turn.texts.length === 1
          ? turn.texts[0]
          : turn.texts.map((text): ChatTextPart => ({ type: 'text', text })),
  };
  if (turn.refusals.length > 0) message.refusal = turn.refusals.join('');
  if (turn.toolCalls.length > 0) message.tool_calls = turn.toolCalls;
  if (turn.reasoningTexts.length > 0) message.reasoning_content = turn.reasoningTexts.join('\n\n');
  if (turn.reasoningDetails.length > 0) message.reasoning_details = turn.reasoningDetails;
  return message;
}

function addAssistantContent(turn: AssistantTurn, message: ResponsesMessageItem, at: string): void {
  if (typeof message.content === 'string') {
    turn.texts.push(message.content);
    return;
  }
  contentParts(message, at).forEach((part, index) => {
    if (part.type === 'output_text' || part.type === 'input_text') turn.texts.push(part.text);
    else if (part.type === 'refusal') turn.refusals.push(part.refusal);
    else throw partError(part.type, 'an assistant message', `${at}.content[${index}]`);
  });
}

function addReasoning(turn: AssistantTurn, item: ResponsesReasoningItem): void {
  const summaries = (item.summary ?? []).map((part) => part.text).filter((text) => text !== '');
  const texts =
    summaries.length > 0 ? summaries : (item.content ?? []).map((part) => part.text).filter(Boolean);
  turn.reasoningTexts.push(...texts);
  if (typeof item.encrypted_content === 'string' && item.encrypted_content !== '') {
    turn.reasoningDetails.push(...unpackEncryptedContent(item.encrypted_content));
  }
}

function toolCall(item: ResponsesFunctionCallItem, at: string): ChatToolCall {
  if (typeof item.call_id !== 'string' || item.call_id === '') {
    throw new UntranslatableError(`${at}.call_id`, `${at}.call_id is required`);
  }
  return {
    id: item.call_id,
    type: 'function',
    function: { name: item.name, arguments: item.arguments ?? '' },
  };
}

function toolMessage(item: ResponsesFunctionCallOutputItem, at: string): ChatMessage {
  if (typeof item.call_id !== 'string' || item.call_id === '') {
    throw new UntranslatableError(`${at}.call_id`, `${at}.call_id is required`);
  }
  const output: unknown = item.output;
  if (typeof output === 'string') return { role: 'tool', tool_call_id: item.call_id, content: output };
  if (!Array.isArray(output)) {
    throw new UntranslatableError(`${at}.output`, `${at}.output must be a string or an array of parts`);
  }
  const content = (output as ResponsesContentPart[]).map((part, index) =>
    userPart(part, `${at}.output[${index}]`),
  );
  return { role: 'tool', tool_call_id: item.call_id, content };
}

/** user, system and developer messages (developer becomes system: same meaning, wider support). */
function nonAssistantMessage(message: ResponsesMessageItem, at: string): ChatMessage {
  const role = message.role;
  if (role === 'user') {
    const content =
      typeof message.content === 'string'
        ? message.content
        : contentParts(message, at).map((part, index) => userPart(part, `${at}.content[${index}]`));
    return { role: 'user', content };
  }
  if (role === 'system' || role === 'developer') {
    const content =
      typeof message.content === 'string'
        ? message.content
        : contentParts(message, at).map((part, index): ChatTextPart => {
            if (part.type === 'input_text' || part.type === 'output_text')
              return { type: 'text', text: part.text };
            throw partError(part.type, `a ${role} message`, `${at}.content[${index}]`);
          });
    return { role: 'system', content };
  }
  throw new UntranslatableError(`${at}.role`, `${at}.role "${String(role)}" is not a message role`);
}

function contentParts(message: ResponsesMessageItem, at: string): ResponsesContentPart[] {
  if (!Array.isArray(message.content)) {
    throw new UntranslatableError(`${at}.content`, `${at}.content must be a string or an array of parts`);
  }
  return message.content;
}

function userPart(part: ResponsesContentPart, at: string): ChatContentPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text };
    case 'input_image':
      return imagePart(part, at);
    case 'input_file': {
      if (part.file_url) {
        throw new UntranslatableError(
          `${at}.file_url`,
          `${at}.file_url: Chat Completions takes files as file_data or file_id, not by URL`,
        );
      }
      const file: Record<string, string> = {};
      if (part.file_id) file.file_id = part.file_id;
      if (part.file_data) file.file_data = part.file_data;
      if (part.filename) file.filename = part.filename;
      return { type: 'file', file };
    }
    default:
      throw partError((part as { type: string }).type, 'this message', at);
  }
}

function imagePart(part: Extract<ResponsesContentPart, { type: 'input_image' }>, at: string): ChatImagePart {
  if (!part.image_url) {
    const param = part.file_id ? `${at}.file_id` : `${at}.image_url`;
    throw new UntranslatableError(
      param,
      `${param}: Chat Completions takes images by image_url (https or data URL), not by file_id`,
    );
  }
  const image: ChatImagePart['image_url'] = { url: part.image_url };
  if (part.detail === 'auto' || part.detail === 'low' || part.detail === 'high') image.detail = part.detail;
  else if (part.detail !== undefined && part.detail !== null) {
    throw new UntranslatableError(
      `${at}.detail`,
      `${at}.detail "${part.detail}" has no Chat Completions equivalent (auto, low, high)`,
    );
  }
  return { type: 'image_url', image_url: image };
}

function partError(type: string, where: string, at: string): UntranslatableError {
  return new UntranslatableError(
    at,
    `${at}: a "${type}" part in ${where} cannot be sent to a Chat Completions upstream`,
  );
}
