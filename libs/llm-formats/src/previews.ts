/**
 * Short human-readable previews of requests and answers in any of the relay's APIs, for the
 * request log: the last user message, and the answer's text (tool calls shown by name).
 */

/** The API a body is written in. */
export type PreviewDialect = 'chat' | 'completions' | 'responses' | 'messages' | 'embeddings' | 'other';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Text of OpenAI/Anthropic content: a string, or the text of its text parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') texts.push(part.text);
    else if (part.type === 'tool_result') texts.push(contentText(part.content));
    else if (part.type === 'image' || part.type === 'image_url' || part.type === 'input_image')
      texts.push('[image]');
  }
  return texts.join(' ');
}

/** The last user turn of a request (or its prompt / input). */
export function requestPreviewText(dialect: PreviewDialect, body: unknown): string | null {
  if (!isRecord(body)) return null;
  if (dialect === 'chat' || dialect === 'messages') {
    const messages = Array.isArray(body.messages) ? body.messages : [];
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i];
      if (isRecord(message) && message.role === 'user') return contentText(message.content) || null;
    }
    return null;
  }
  if (dialect === 'responses') {
    if (typeof body.input === 'string') return body.input;
    const items = Array.isArray(body.input) ? body.input : [];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (isRecord(item) && item.role === 'user') return contentText(item.content) || null;
    }
    return null;
  }
  const input = body.prompt ?? body.input;
  if (typeof input === 'string') return input;
  if (Array.isArray(input) && typeof input[0] === 'string') return input.join(' ');
  return null;
}

/** The text of a complete (non-streamed) answer. */
export function responsePreviewText(dialect: PreviewDialect, body: unknown): string | null {
  if (!isRecord(body)) return null;
  const parts: string[] = [];
  if (dialect === 'chat' || dialect === 'completions') {
    const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : null;
    if (!choice) return null;
    const message = isRecord(choice.message) ? choice.message : null;
    if (typeof choice.text === 'string') parts.push(choice.text);
    if (message) {
      parts.push(contentText(message.content));
      for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
        if (isRecord(call) && isRecord(call.function)) parts.push(`[tool ${String(call.function.name)}]`);
      }
    }
  } else if (dialect === 'messages') {
    for (const block of Array.isArray(body.content) ? body.content : []) {
      if (!isRecord(block)) continue;
      if (typeof block.text === 'string') parts.push(block.text);
      if (block.type === 'tool_use') parts.push(`[tool ${String(block.name)}]`);
    }
  } else if (dialect === 'responses') {
    for (const item of Array.isArray(body.output) ? body.output : []) {
      if (!isRecord(item)) continue;
      if (item.type === 'message') parts.push(contentText(item.content));
      if (item.type === 'function_call') parts.push(`[tool ${String(item.name)}]`);
    }
  } else {
    return null;
  }
  const text = parts.filter(Boolean).join(' ');
  return text || null;
}

/** The answer text one stream event adds (null when it adds none). */
export function streamEventText(dialect: PreviewDialect, event: unknown): string | null {
  if (!isRecord(event)) return null;
  if (dialect === 'chat' || dialect === 'completions') {
    const choice = Array.isArray(event.choices) && isRecord(event.choices[0]) ? event.choices[0] : null;
    if (!choice) return null;
    if (typeof choice.text === 'string') return choice.text || null;
    const delta = isRecord(choice.delta) ? choice.delta : null;
    if (!delta) return null;
    if (typeof delta.content === 'string' && delta.content) return delta.content;
    const call =
      Array.isArray(delta.tool_calls) && isRecord(delta.tool_calls[0]) ? delta.tool_calls[0] : null;
    const name = call && isRecord(call.function) ? call.function.name : undefined;
    return typeof name === 'string' ? ` [tool ${name}] ` : null;
  }
  if (dialect === 'messages') {
    if (
      event.type === 'content_block_delta' &&
      isRecord(event.delta) &&
      typeof event.delta.text === 'string'
    ) {
      return event.delta.text;
    }
    if (
      event.type === 'content_block_start' &&
      isRecord(event.content_block) &&
      event.content_block.type === 'tool_use'
    ) {
      return ` [tool ${String(event.content_block.name)}] `;
    }
    return null;
  }
  if (
    dialect === 'responses' &&
    event.type === 'response.output_text.delta' &&
    typeof event.delta === 'string'
  ) {
    return event.delta;
  }
  return null;
}

/** Whitespace that `flatten` changes: anything but a lone space. */
const UNFLAT_WHITESPACE = /[^\S ]| {2}/;

/** Runs of whitespace as one space; a text that has none to change is returned as it is (no copy). */
function flatten(text: string): string {
  return UNFLAT_WHITESPACE.test(text) ? text.replace(/\s+/g, ' ') : text;
}

/** Cuts a preview to `length` characters (an ellipsis marks the cut). */
export function cutPreview(text: string | null, length: number): string | null {
  if (text === null) return null;
  const window = 2 * length + 16;
  if (text.length > window) {
    // Long texts: flatten only a prefix. Runs of spaces collapse to one, so with two characters
    // past the cut at least one is not a space, and the whole text's preview is the same.
    const head = flatten(text.slice(0, window)).trimStart();
    if (head.length > length + 1) return `${head.slice(0, length)}…`;
  }
  const flat = flatten(text).trim();
  if (!flat) return null;
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}
