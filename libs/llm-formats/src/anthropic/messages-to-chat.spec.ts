import type { ChatRequest, ChatResponse } from '../openai/chat.types';
import { goldenConversions, goldenStreams } from './golden-fixtures';
import { accumulateMessagesEvents } from './random-exchanges';
import {
  chatToMessagesResponse,
  createChatToMessagesStream,
  messagesToChatRequest,
} from './messages-to-chat';
import type { MessagesRequest, MessagesResponse } from './messages.types';

// An Anthropic client (Claude Code, the Anthropic SDK) in front of an OpenAI-compatible upstream.
goldenConversions<MessagesRequest, ChatRequest>(
  'messages-to-chat.request',
  'messagesToChatRequest',
  messagesToChatRequest,
);
goldenConversions<ChatResponse, MessagesResponse>(
  'messages-to-chat.response',
  'chatToMessagesResponse',
  chatToMessagesResponse,
);
goldenStreams<{ model: string; messageId?: string }>(
  'messages-to-chat.stream',
  'createChatToMessagesStream',
  createChatToMessagesStream,
  accumulateMessagesEvents,
);
