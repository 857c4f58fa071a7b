// The fake Anthropic Messages upstream: a loopback HTTP server with scripted behaviours.
import { startFakeUpstream } from '../shared/upstream-server';
import { type AnthropicRequestExtras, anthropicDialect } from './anthropic-dialect';
import type {
  AnthropicBehaviour,
  AnthropicError,
  AnthropicReplyOptions,
  FakeAnthropicUpstream,
  FakeAnthropicUpstreamOptions,
} from './types';

/** Starts a fake Anthropic API on 127.0.0.1 (a free port unless `port` is given); `baseUrl` has no `/v1`. */
export function startFakeAnthropicUpstream(
  options: FakeAnthropicUpstreamOptions = {},
): Promise<FakeAnthropicUpstream> {
  return startFakeUpstream<AnthropicReplyOptions, AnthropicError, AnthropicBehaviour, AnthropicRequestExtras>(
    anthropicDialect(options.versions),
    options,
  );
}
