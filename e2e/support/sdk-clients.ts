// The official Anthropic client against a relay, the provider block of a fake Anthropic upstream, and
// scripted answers that either fake upstream can give.
import Anthropic from '@anthropic-ai/sdk';
import {
  type FakeAnthropicUpstream,
  type FakeOpenAiUpstream,
  anthropicBehaviours,
  behaviours,
} from '@monorelay/testing';
import { ACCESS_KEY, type RelayProcess } from './relay-process';

/**
 * `@anthropic-ai/sdk` pointed at the relay: the SDK appends `/v1/messages` itself, sends the key as
 * `Authorization: Bearer` and its own `anthropic-version`. No retries, so every failure is seen once.
 */
export function anthropicClient(
  relay: RelayProcess,
  options: { apiKey?: string; timeoutMs?: number } = {},
): Anthropic {
  return new Anthropic({
    baseURL: relay.url,
    apiKey: options.apiKey ?? ACCESS_KEY,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 15_000,
  });
}

/** A `provider_type: anthropic` block for the fake Anthropic upstream (base URL without `/v1`). */
export function fakeAnthropicProvider(
  baseUrl: string,
  key: string,
  models: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    provider_type: 'anthropic',
    base_url: baseUrl,
    keys: [{ key, label: key }],
    models: { include: models },
    timeout: 5,
    first_token_timeout: 0,
    retry: { enabled: false },
    ...extra,
  };
}

/** `event:` + `data:` frames of an SSE body. */
export function parseSseFrames(raw: string): Array<{ event: string | undefined; data: string }> {
  return raw
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.trim() !== '' && !frame.startsWith(':'))
    .map((frame) => ({
      event: /^event: ?(.*)$/m.exec(frame)?.[1],
      data: frame
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n'),
    }));
}

export interface ScriptedTool {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** Token counts of an answer, Anthropic's way: `input` excludes the cache reads and writes. */
export interface ScriptedUsage {
  input: number;
  output: number;
  cacheRead: number;
  /** Anthropic only: an OpenAI-compatible upstream has no field for cache writes. */
  cacheCreation: number;
}

/** One answer, independent of the upstream kind that gives it. */
export interface Script {
  content?: string;
  tools?: ScriptedTool[];
  /** Anthropic: a signed thinking block; OpenAI: `reasoning_content` (the signature is not sent). */
  reasoning?: { text: string; signature: string };
  usage?: ScriptedUsage;
  chunks?: number;
  chunkDelayMs?: number;
}

/** The fake Anthropic upstream answers the next request for `model` with `script`. */
export function scriptClaude(upstream: FakeAnthropicUpstream, model: string, script: Script): void {
  upstream.when(
    { model },
    anthropicBehaviours.ok({
      content: script.content,
      toolUses: script.tools,
      thinking: script.reasoning,
      chunks: script.chunks,
      chunkDelayMs: script.chunkDelayMs,
      usage: script.usage && {
        inputTokens: script.usage.input,
        outputTokens: script.usage.output,
        cacheReadInputTokens: script.usage.cacheRead,
        cacheCreationInputTokens: script.usage.cacheCreation,
      },
    }),
    { times: 1 },
  );
}

/** The fake OpenAI upstream answers the next request (chat or Responses) for `model` with `script`. */
export function scriptOpenAi(upstream: FakeOpenAiUpstream, model: string, script: Script): void {
  upstream.when(
    { model },
    behaviours.ok({
      content: script.content,
      toolCalls: script.tools?.map((tool) => ({ id: tool.id, name: tool.name, arguments: tool.input })),
      reasoning: script.reasoning?.text,
      chunks: script.chunks,
      chunkDelayMs: script.chunkDelayMs,
      usage: script.usage && {
        promptTokens: script.usage.input + script.usage.cacheRead,
        completionTokens: script.usage.output,
        cachedTokens: script.usage.cacheRead,
      },
    }),
    { times: 1 },
  );
}
