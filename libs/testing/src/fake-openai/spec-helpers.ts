// Helpers for the OpenAI fake's specs: raw HTTP calls with a bearer key, chat chunks; the rest is shared.
import type { SseFrame } from '../shared/spec-helpers';

export {
  type SseFrame,
  eventually,
  fetchFailureCode,
  frameCount,
  parseSse,
  readAllowingFailure,
  readSse,
  readUntil,
  within,
} from '../shared/spec-helpers';

export const TEST_KEY = 'sk-test-key-0001';

/** `key: null` sends no Authorization header. */
export function postJson(url: string, body: unknown, key: string | null = TEST_KEY, signal?: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
}

/** The JSON payloads of a chat/completions stream, and whether it ended with `[DONE]`. */
export function chunksOf(frames: SseFrame[]): { chunks: Record<string, unknown>[]; done: boolean } {
  const done = frames.at(-1)?.data === '[DONE]';
  const payloads = done ? frames.slice(0, -1) : frames;
  return { chunks: payloads.map((frame) => JSON.parse(frame.data) as Record<string, unknown>), done };
}
