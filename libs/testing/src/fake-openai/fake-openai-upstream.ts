// The fake OpenAI-compatible upstream: a loopback HTTP server with scripted behaviours.
import { startFakeUpstream } from '../shared/upstream-server';
import { openAiDialect } from './openai-dialect';
import type {
  Behaviour,
  FakeOpenAiUpstream,
  FakeOpenAiUpstreamOptions,
  OpenAiError,
  ReplyOptions,
} from './types';

/** Starts a fake upstream on 127.0.0.1 (a free port unless `port` is given); `baseUrl` ends in `/v1`. */
export function startFakeOpenAiUpstream(
  options: FakeOpenAiUpstreamOptions = {},
): Promise<FakeOpenAiUpstream> {
  return startFakeUpstream<ReplyOptions, OpenAiError, Behaviour, object>(openAiDialect, options);
}
