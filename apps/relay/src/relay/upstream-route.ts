import { servesEndpoint } from '../routing/endpoint-support';
import {
  type ChatRequest,
  type ChatResponse,
  type MessagesRequest,
  type MessagesResponse,
  type ResponsesRequest,
  type StreamTranscoder,
  chatToMessagesRequest,
  chatToMessagesResponse,
  chatToResponsesResponse,
  composeTranscoders,
  createChatToMessagesStream,
  createChatToResponsesStream,
  createMessagesToChatStream,
  messagesToChatRequest,
  messagesToChatResponse,
  responsesToChatRequest,
} from '@monorelay/llm-formats';
import type { RelayConfig } from '../config/relay-config';
import type { RuntimeProvider } from '../providers/runtime-provider';
import { ENDPOINTS, type EndpointSpec } from './relay-endpoints';

type Json = Record<string, unknown>;

/** How a client's request in one API is carried by an upstream that speaks another. */
export interface Translation {
  /** Client request body -> upstream request body (throws UntranslatableError). */
  request(body: Json): Json;
  /** Upstream JSON answer -> client JSON answer. */
  response(body: Json): Json;
  /** A fresh converter for one streamed answer; `model` is the model asked of the upstream. */
  stream(context: { model: string }): StreamTranscoder;
}

/** How one target is called: the upstream endpoint, and the translation when the APIs differ. */
export interface UpstreamRoute {
  upstream: EndpointSpec;
  /** null when the upstream speaks the client's API (native pass-through). */
  translation: Translation | null;
}

/**
 * The route for a client endpoint on a provider, or null when the provider cannot serve it.
 * `clientBody` is the client's request (stream options and the original Responses request shape
 * some converters need).
 */
export function upstreamRoute(
  spec: EndpointSpec,
  provider: RuntimeProvider,
  clientBody: Json | null,
  config: RelayConfig,
): UpstreamRoute | null {
  const anthropicUpstream = provider.config.provider_type === 'anthropic';
  switch (spec.endpoint) {
    case 'chat':
      return anthropicUpstream
        ? { upstream: ENDPOINTS.messages, translation: chatOverMessages(clientBody) }
        : native(spec);
    case 'messages':
      return anthropicUpstream ? native(spec) : { upstream: ENDPOINTS.chat, translation: MESSAGES_OVER_CHAT };
    case 'responses': {
      const request = (clientBody ?? {}) as unknown as ResponsesRequest;
      if (anthropicUpstream)
        return { upstream: ENDPOINTS.messages, translation: responsesOverMessages(request) };
      if (config.compat.responses_api[provider.name] ?? provider.preset.responsesApi) return native(spec);
      return { upstream: ENDPOINTS.chat, translation: responsesOverChat(request) };
    }
    default:
      return servesEndpoint(provider.config.provider_type, spec.endpoint) ? native(spec) : null;
  }
}

const native = (spec: EndpointSpec): UpstreamRoute => ({ upstream: spec, translation: null });

function clientAskedForUsage(body: Json | null): boolean {
  return (body?.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
}

/** An OpenAI chat client on an Anthropic upstream. */
function chatOverMessages(clientBody: Json | null): Translation {
  const includeUsage = clientAskedForUsage(clientBody);
  return {
    request: (body) => chatToMessagesRequest(body as unknown as ChatRequest) as unknown as Json,
    response: (body) => messagesToChatResponse(body as unknown as MessagesResponse) as unknown as Json,
    stream: () => createMessagesToChatStream({ includeUsage }),
  };
}

/** An Anthropic client (Claude Code, the Anthropic SDK) on an OpenAI-compatible upstream. */
const MESSAGES_OVER_CHAT: Translation = {
  request: (body) => messagesToChatRequest(body as unknown as MessagesRequest) as unknown as Json,
  response: (body) => chatToMessagesResponse(body as unknown as ChatResponse) as unknown as Json,
  stream: ({ model }) => createChatToMessagesStream({ model }),
};

/** A Responses client on a chat-only upstream. */
function responsesOverChat(request: ResponsesRequest): Translation {
  return {
    request: (body) => responsesToChatRequest(body as unknown as ResponsesRequest) as unknown as Json,
    response: (body) => chatToResponsesResponse(body as unknown as ChatResponse, request) as unknown as Json,
    stream: () => createChatToResponsesStream({ request }),
  };
}

/** A Responses client on an Anthropic upstream: through chat, both ways. */
function responsesOverMessages(request: ResponsesRequest): Translation {
  return {
    request: (body) =>
      chatToMessagesRequest(responsesToChatRequest(body as unknown as ResponsesRequest)) as unknown as Json,
    response: (body) =>
      chatToResponsesResponse(
        messagesToChatResponse(body as unknown as MessagesResponse),
        request,
      ) as unknown as Json,
    stream: () =>
      composeTranscoders(
        createMessagesToChatStream({ includeUsage: true }),
        createChatToResponsesStream({ request }),
      ),
  };
}
