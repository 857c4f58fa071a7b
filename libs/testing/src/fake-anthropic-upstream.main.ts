// Runs the fake Anthropic upstream as its own process (for the benchmark and manual testing).
//   node fake-anthropic-upstream.main.js [--port N] [--host H] [--latency-ms N] [--chunks N] [--chunk-delay-ms N]
//                                        [--key K]... [--model M]...
// Prints one JSON line {"url": "http://HOST:PORT", "port": N} once listening (clients append /v1/messages);
// exits cleanly on SIGTERM/SIGINT.
import { startFakeAnthropicUpstream } from './fake-anthropic/fake-anthropic-upstream';
import { runUpstreamCli } from './shared/cli';

runUpstreamCli(startFakeAnthropicUpstream);
