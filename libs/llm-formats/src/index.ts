export * from './sse/sse-parser';
export * from './sse/sse-writer';
export * from './usage';
export * from './openai/openai-error';
export * from './openai/stream-observer';
export * from './openai/in-band-error';
export * from './openai/chat.types';
export * from './translation/stream-transcoder';
export * from './responses/responses.types';
export * from './responses/responses-to-chat';
export type {
  AnthropicErrorBody,
  ContentBlockParam,
  MessageParam,
  MessagesRequest,
  MessagesResponse,
  MessagesStreamEvent,
  MessagesTool,
  MessagesToolChoice,
  MessagesUsage,
  ResponseContentBlock,
  StopReason,
} from './anthropic/messages.types';
export * from './anthropic/anthropic-error';
export * from './anthropic/anthropic-usage';
export * from './anthropic/stream-observer';
export * from './anthropic/chat-to-messages';
export * from './anthropic/messages-to-chat';
export * from './previews';
