import {
  ANTHROPIC_BENCH_MODEL,
  BENCH_MODEL,
  RELAY_ACCESS_KEY,
  type RunningServer,
  UPSTREAM_KEY,
} from './servers';

export type TargetName = 'direct' | 'baseline' | 'relay';

/** The client API a target is spoken to in: OpenAI chat completions or Anthropic Messages. */
export type ClientFormat = 'chat' | 'messages';

/** Somewhere the benchmark sends the same request to. */
export interface Target {
  /** `direct`, `baseline`, `relay` in the main phases; a route name (`chat→anthropic`) in the translation phase. */
  readonly name: string;
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The process that answers (the upstream itself for `direct`): its CPU time is measured. */
  readonly pid: number;
  readonly format: ClientFormat;
  /** The non-streaming request body. */
  readonly body: string;
  /** The same request with `stream: true`. */
  readonly streamBody: string;
}

/** A target of the main phases (latency, throughput, streaming). */
export interface MainTarget extends Target {
  readonly name: TargetName;
}

export const CHAT_PATH = '/v1/chat/completions';
export const MESSAGES_PATH = '/v1/messages';
export const ANTHROPIC_VERSION = '2023-06-01';

const SYSTEM = 'You are a benchmark. Answer briefly.';
const USER = 'Say hello to the relay benchmark.';
const MESSAGES = [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: USER },
];

export const CHAT_BODY = JSON.stringify({ model: BENCH_MODEL, messages: MESSAGES });
export const STREAM_CHAT_BODY = JSON.stringify({ model: BENCH_MODEL, messages: MESSAGES, stream: true });

/** The same conversation as CHAT_BODY, as an Anthropic Messages request (system prompt at the top). */
function messagesBody(model: string, stream: boolean): string {
  const body = { model, max_tokens: 256, system: SYSTEM, messages: [{ role: 'user', content: USER }] };
  return JSON.stringify(stream ? { ...body, stream: true } : body);
}

function chatBody(model: string, stream: boolean): string {
  return JSON.stringify(stream ? { model, messages: MESSAGES, stream: true } : { model, messages: MESSAGES });
}

function jsonHeaders(bearer: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${bearer}` };
}

/** How an Anthropic SDK calls: `x-api-key` and `anthropic-version`. */
function anthropicHeaders(key: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION };
}

function chatTarget(name: TargetName, server: RunningServer, bearer: string): MainTarget {
  return {
    name,
    origin: server.origin,
    path: CHAT_PATH,
    headers: jsonHeaders(bearer),
    pid: server.pid,
    format: 'chat',
    body: CHAT_BODY,
    streamBody: STREAM_CHAT_BODY,
  };
}

export function directTarget(upstream: RunningServer): MainTarget {
  return chatTarget('direct', upstream, UPSTREAM_KEY);
}

/** The baseline forwards the client's headers unchanged, so the client sends the upstream key. */
export function baselineTarget(baseline: RunningServer): MainTarget {
  return chatTarget('baseline', baseline, UPSTREAM_KEY);
}

export function relayTarget(relay: RunningServer): MainTarget {
  return chatTarget('relay', relay, RELAY_ACCESS_KEY);
}

/** Which fake upstream a relay route ends at, and the model that routes there. */
export type UpstreamKind = 'openai' | 'anthropic';

export const UPSTREAM_MODEL: Readonly<Record<UpstreamKind, string>> = {
  openai: BENCH_MODEL,
  anthropic: ANTHROPIC_BENCH_MODEL,
};

/** The relay's provider name for each upstream (its `x-monorelay-provider` header). */
export const UPSTREAM_PROVIDER: Readonly<Record<UpstreamKind, string>> = {
  openai: 'fake',
  anthropic: 'claude',
};

export interface RouteTarget extends Target {
  readonly client: ClientFormat;
  readonly upstream: UpstreamKind;
  /** True when the client's format is not the upstream's: the relay converts both ways. */
  readonly translated: boolean;
}

const NATIVE_FORMAT: Readonly<Record<UpstreamKind, ClientFormat>> = { openai: 'chat', anthropic: 'messages' };

/** A relay route: a client format to an upstream, e.g. `chat→anthropic` (translated). */
export function routeTarget(relay: RunningServer, client: ClientFormat, upstream: UpstreamKind): RouteTarget {
  const model = UPSTREAM_MODEL[upstream];
  const isChat = client === 'chat';
  return {
    name: `${client}→${upstream}`,
    origin: relay.origin,
    path: isChat ? CHAT_PATH : MESSAGES_PATH,
    headers: isChat ? jsonHeaders(RELAY_ACCESS_KEY) : anthropicHeaders(RELAY_ACCESS_KEY),
    pid: relay.pid,
    format: client,
    body: isChat ? chatBody(model, false) : messagesBody(model, false),
    streamBody: isChat ? chatBody(model, true) : messagesBody(model, true),
    client,
    upstream,
    translated: NATIVE_FORMAT[upstream] !== client,
  };
}
