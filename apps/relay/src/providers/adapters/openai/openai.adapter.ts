import type { ProviderAdapter, UpstreamCall, UpstreamResponse } from '../../provider-adapter';
import { upstreamPath } from '../../runtime-provider';

/** OpenAI-compatible upstreams (OpenAI, OpenRouter, NVIDIA NIM, DeepSeek, Groq, any compatible API). */
export class OpenAiAdapter implements ProviderAdapter {
  readonly kind = 'openai';

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    const { provider, key } = call;
    const timeoutMs = provider.config.timeout * 1000;
    const headers: Record<string, string> = {
      accept: 'application/json, text/event-stream',
      ...call.headers,
      ...provider.preset.defaultHeaders,
      ...provider.config.headers,
    };
    if (call.contentType) headers['content-type'] = call.contentType;
    // A provider without keys (e.g. a local server) gets a lease with an empty secret: no auth header.
    if (key.secret && provider.preset.authHeader === 'authorization')
      headers.authorization = `Bearer ${key.secret}`;
    else if (key.secret) headers[provider.preset.authHeader] = key.secret;

    const response = await provider.dispatcher.request({
      origin: provider.origin,
      path: upstreamPath(provider, call.path),
      method: call.method,
      headers,
      body: call.body,
      signal: call.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }
}
