// Helpers for the Anthropic fake's specs: raw Messages calls with Anthropic's headers, SDK clients, event payloads.
import Anthropic from '@anthropic-ai/sdk';
import type { SseFrame } from '../shared/spec-helpers';
import type { FakeAnthropicUpstream } from './types';

export const TEST_KEY = 'sk-ant-test';
export const VERSION = '2023-06-01';

export interface RawCallOptions {
  /** Sent as `x-api-key`; null sends none. */
  key?: string | null;
  /** `anthropic-version`; null sends none. */
  version?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** POSTs JSON to `path` (default `/v1/messages`) the way a plain HTTP client talks to Anthropic. */
export function postAnthropic(
  upstream: FakeAnthropicUpstream,
  body: unknown,
  options: RawCallOptions & { path?: string } = {},
): Promise<Response> {
  return fetch(`${upstream.baseUrl}${options.path ?? '/v1/messages'}`, {
    method: 'POST',
    headers: anthropicHeaders(options, { 'content-type': 'application/json' }),
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.signal,
  });
}

export function getAnthropic(
  upstream: FakeAnthropicUpstream,
  path: string,
  options: RawCallOptions = {},
): Promise<Response> {
  return fetch(`${upstream.baseUrl}${path}`, {
    headers: anthropicHeaders(options, {}),
    signal: options.signal,
  });
}

function anthropicHeaders(options: RawCallOptions, base: Record<string, string>): Record<string, string> {
  const headers = { ...base, ...options.headers };
  const key = options.key === undefined ? TEST_KEY : options.key;
  const version = options.version === undefined ? VERSION : options.version;
  if (key !== null) headers['x-api-key'] = key;
  if (version !== null) headers['anthropic-version'] = version;
  return headers;
}

/** The official client against the fake, without retries. */
export function sdkClient(upstream: FakeAnthropicUpstream, apiKey = TEST_KEY): Anthropic {
  return new Anthropic({ baseURL: upstream.baseUrl, apiKey, maxRetries: 0 });
}

/** A minimal valid Messages request (typed for the SDK; raw calls may add `stream: true`). */
export function messageRequest(
  text = 'hello',
  extra: Record<string, unknown> = {},
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: 'claude-test',
    max_tokens: 256,
    messages: [{ role: 'user', content: text }],
    ...extra,
  } as Anthropic.MessageCreateParamsNonStreaming;
}

export interface StreamEvent {
  event: string | undefined;
  payload: Record<string, unknown>;
}

/** Each frame's event name and parsed JSON. */
export function eventsOf(frames: SseFrame[]): StreamEvent[] {
  return frames.map((frame) => ({
    event: frame.event,
    payload: JSON.parse(frame.data) as Record<string, unknown>,
  }));
}

export function eventNames(frames: SseFrame[]): (string | undefined)[] {
  return frames.map((frame) => frame.event);
}
