import type { ChatRequest, ChatResponse } from '../openai/chat.types';
import {
  chatToMessagesRequest,
  createMessagesToChatStream,
  messagesToChatResponse,
} from './chat-to-messages';
import { goldenConversions, goldenStreams } from './golden-fixtures';
import { accumulateChatChunks } from './random-exchanges';
import type { MessagesRequest, MessagesResponse } from './messages.types';

// An OpenAI chat client in front of an Anthropic upstream.
goldenConversions<ChatRequest, MessagesRequest>(
  'chat-to-messages.request',
  'chatToMessagesRequest',
  chatToMessagesRequest,
);
goldenConversions<MessagesResponse, ChatResponse>(
  'chat-to-messages.response',
  'messagesToChatResponse',
  (input) => messagesToChatResponse(input, { created: 1700000000 }),
);
goldenStreams<{ includeUsage: boolean }>(
  'chat-to-messages.stream',
  'createMessagesToChatStream',
  (options) => createMessagesToChatStream({ ...options, created: 1700000000 }),
  accumulateChatChunks,
);
