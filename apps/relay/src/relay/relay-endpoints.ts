import type { OpenAiStreamKind, PreviewDialect } from '@monorelay/llm-formats';
import type { RelayEndpoint } from '../routing/route-plan';

export type BodyKind = 'json' | 'multipart';

/** The SSE dialect of a stream: one of OpenAI's, or Anthropic Messages. */
export type StreamDialect = OpenAiStreamKind | 'messages';

/** Whose error body shape a client expects. */
export type ErrorShape = 'openai' | 'anthropic';

/** How the relay serves one API route (and how it calls the same route upstream). */
export interface EndpointSpec {
  endpoint: RelayEndpoint;
  /** Path under `/v1` and under the provider's base URL. */
  path: string;
  body: BodyKind;
  /** The SSE dialect when the client asks for `stream: true`. */
  streamKind: StreamDialect | null;
  errorShape: ErrorShape;
  /** The relay adds `stream_options.include_usage` upstream so it can read usage from streams. */
  streamUsage: boolean;
  /** The response body is binary (audio) and is piped once headers arrive. */
  binaryResponse: boolean;
  /** Model used when the client sends none (moderations defaults like OpenAI's). */
  defaultModel: string | null;
  /** Required array field for a well-formed request. */
  requiredArray: string | null;
}

const spec = (endpoint: RelayEndpoint, path: string, extra: Partial<EndpointSpec> = {}): EndpointSpec => ({
  endpoint,
  path,
  body: 'json',
  streamKind: null,
  errorShape: 'openai',
  streamUsage: false,
  binaryResponse: false,
  defaultModel: null,
  requiredArray: null,
  ...extra,
});

export const ENDPOINTS = {
  chat: spec('chat', '/chat/completions', {
    streamKind: 'chat',
    streamUsage: true,
    requiredArray: 'messages',
  }),
  completions: spec('completions', '/completions', { streamKind: 'completions', streamUsage: true }),
  embeddings: spec('embeddings', '/embeddings'),
  responses: spec('responses', '/responses', { streamKind: 'responses' }),
  messages: spec('messages', '/messages', {
    streamKind: 'messages',
    errorShape: 'anthropic',
    requiredArray: 'messages',
  }),
  moderations: spec('moderations', '/moderations', { defaultModel: 'omni-moderation-latest' }),
  images: spec('images', '/images/generations'),
  audioSpeech: spec('audio_speech', '/audio/speech', { binaryResponse: true }),
  audioTranscriptions: spec('audio_transcriptions', '/audio/transcriptions', {
    body: 'multipart',
    streamKind: 'generic',
  }),
  audioTranslations: spec('audio_translations', '/audio/translations', { body: 'multipart' }),
} satisfies Record<string, EndpointSpec>;

const PREVIEW_DIALECTS: Partial<Record<string, PreviewDialect>> = {
  chat: 'chat',
  completions: 'completions',
  responses: 'responses',
  messages: 'messages',
  embeddings: 'embeddings',
};

/** The API a body of this endpoint (or stream dialect) is written in, for log previews. */
export function previewDialect(endpointOrStream: string): PreviewDialect {
  return PREVIEW_DIALECTS[endpointOrStream] ?? 'other';
}
