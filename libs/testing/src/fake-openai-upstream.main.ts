// Runs the fake OpenAI upstream as its own process (for the benchmark and manual testing).
//   node fake-openai-upstream.main.js [--port N] [--host H] [--latency-ms N] [--chunks N] [--chunk-delay-ms N]
//                                     [--key K]... [--model M]...
// Prints one JSON line {"url": "http://HOST:PORT/v1", "port": N} once listening; exits cleanly on SIGTERM/SIGINT.
import { startFakeOpenAiUpstream } from './fake-openai/fake-openai-upstream';
import { runUpstreamCli } from './shared/cli';

runUpstreamCli(startFakeOpenAiUpstream);
