// Deterministic text helpers: what the fake "says", how it splits it and how many tokens it counts.
import { randomUUID } from 'node:crypto';

export const DEFAULT_CHUNKS = 4;

/** Roughly 4 characters per token (OpenAI's and Anthropic's rule of thumb), rounded up; deterministic so tests can predict usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Splits text into at most `pieces` near-equal parts without breaking surrogate pairs. */
export function splitIntoPieces(text: string, pieces: number): string[] {
  if (text === '') return [];
  const wanted = Math.max(1, Math.floor(pieces));
  if (wanted === 1) return [text];
  const chars = Array.from(text);
  const count = Math.min(wanted, chars.length);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * chars.length) / count);
    const end = Math.floor(((i + 1) * chars.length) / count);
    parts.push(chars.slice(start, end).join(''));
  }
  return parts;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The text of a message `content`: a string, or the `text` of its parts (chat, Responses, Anthropic). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join('\n');
}

/** Chat-style messages (`[{role, content}]`): all their text, and the last user message's text. */
export function conversationText(messages: readonly unknown[]): { all: string; lastUser: string } {
  const all: string[] = [];
  let lastUser = '';
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const text = textOf(message.content);
    all.push(text);
    if (message.role === 'user') lastUser = text;
  }
  return { all: all.join('\n'), lastUser };
}

export function echo(text: string): string {
  return `Echo: ${text}`;
}

export function newId(prefix: string): string {
  return prefix + randomUUID().replaceAll('-', '');
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The request body's `model`, when it is a non-empty string. */
export function requestedModel(body: Record<string, unknown>): string | undefined {
  return typeof body.model === 'string' && body.model !== '' ? body.model : undefined;
}

/** A URL path segment decoded, or as it is when it is not valid percent-encoding. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
