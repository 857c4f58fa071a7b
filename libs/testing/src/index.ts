// @monorelay/testing: loopback stand-ins for the relay's upstreams.
//
//   const upstream = await startFakeOpenAiUpstream({ keys: ['sk-a', 'sk-b'] });
//   upstream.when({ key: 'sk-a' }, behaviours.rateLimited({ retryAfter: 2 }));   // sk-a: 429
//   upstream.when({ model: 'flaky' }, behaviours.cutStream(3), { times: 1 });    // once: cut after 3 frames
//   ... point the relay's provider base_url at upstream.baseUrl, then inspect upstream.requests ...
//   await upstream.close();
//
//   const claude = await startFakeAnthropicUpstream({ keys: ['sk-ant-a'] });     // baseUrl without /v1
//   claude.when({ model: 'claude-busy' }, anthropicBehaviours.overloaded());     // 529
//   claude.when({}, anthropicBehaviours.errorEvent(4), { times: 1 });            // `event: error` mid-stream
export { startFakeOpenAiUpstream } from './fake-openai/fake-openai-upstream';
export { behaviours, type RateLimitHints } from './fake-openai/behaviours';
export type {
  Behaviour,
  CutStreamBehaviour,
  ErrorEventBehaviour,
  FakeOpenAiUpstream,
  FakeOpenAiUpstreamOptions,
  HangBehaviour,
  MalformedEventBehaviour,
  NoDoneBehaviour,
  OkBehaviour,
  OpenAiError,
  RecordedFile,
  RecordedRequest,
  ReplyOptions,
  ResetBehaviour,
  RuleHandle,
  RuleMatch,
  RuleOptions,
  SlowFirstTokenBehaviour,
  StallStreamBehaviour,
  StatusBehaviour,
  ToolCallReply,
  UsageOverride,
} from './fake-openai/types';

export { startFakeAnthropicUpstream } from './fake-anthropic/fake-anthropic-upstream';
export { anthropicBehaviours } from './fake-anthropic/behaviours';
export { ANTHROPIC_VERSIONS } from './fake-anthropic/anthropic-dialect';
export type { AnthropicRateLimitHints, ResetAt } from './fake-anthropic/rate-limits';
export type {
  AnthropicBehaviour,
  AnthropicCutStreamBehaviour,
  AnthropicError,
  AnthropicErrorEventBehaviour,
  AnthropicMalformedEventBehaviour,
  AnthropicOkBehaviour,
  AnthropicRecordedRequest,
  AnthropicReplyOptions,
  AnthropicSlowFirstTokenBehaviour,
  AnthropicStallStreamBehaviour,
  AnthropicStatusBehaviour,
  AnthropicUsageOverride,
  FakeAnthropicUpstream,
  FakeAnthropicUpstreamOptions,
  NoStopBehaviour,
  StopReason,
  ThinkingReply,
  ToolUseReply,
} from './fake-anthropic/types';

// Fake OAuth providers for the SSO login (passport-github2, passport-google-oauth20):
//   const github = await startFakeGitHub({ callbackUrl: 'http://127.0.0.1:PORT/auth/github/callback' });
//   github.addUser({ id: 1001, login: 'octocat', orgs: ['acme'] });
//   github.nextLogin('octocat');                 // or { deny: true }
//   ... configure the relay with github.clientId/clientSecret/authorizationURL/tokenURL/userProfileURL ...
export { startFakeGitHub } from './fake-oauth/fake-github';
export { startFakeGoogle } from './fake-oauth/fake-google';
export { type FakeSsoConfig, ssoConfigFor } from './fake-oauth/relay-sso-config';
export type {
  AuthorizeRequest,
  FakeGitHub,
  FakeGitHubOptions,
  FakeGoogle,
  FakeGoogleOptions,
  FakeOAuthOptions,
  FakeOAuthProvider,
  GitHubEmail,
  GitHubUserInput,
  GoogleUserInput,
  LoginChoice,
  OAuthRecordedRequest,
} from './fake-oauth/types';

export {
  fakeLlamaCommand,
  FAKE_LLAMA_SERVER_MAIN,
  type FakeLlamaCommandOptions,
} from './fake-llama/fake-llama-command';
export { startFakeLlamaServer, type FakeLlamaOptions } from './fake-llama/fake-llama-server';
