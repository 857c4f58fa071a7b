import type { ProviderAdapter, UpstreamCall, UpstreamResponse } from '../../provider-adapter';

/** The Messages API version sent when the client did not name one. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * Anthropic's Messages API (`provider_type: anthropic`): `x-api-key` auth, `anthropic-version`
 * (the client's when it sent one), paths under `/v1`. A base URL given with or without `/v1` works.
 */
export class AnthropicAdapter implements ProviderAdapter {
  readonly kind = 'anthropic';

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    const { provider, key } = call;
    const timeoutMs = provider.config.timeout * 1000;
    const headers: Record<string, string> = {
      accept: 'application/json, text/event-stream',
      'anthropic-version': DEFAULT_ANTHROPIC_VERSION,
      ...call.headers,
      ...provider.preset.defaultHeaders,
      ...provider.config.headers,
    };
    if (call.contentType) headers['content-type'] = call.contentType;
    if (key.secret) headers['x-api-key'] = key.secret;
    const response = await provider.dispatcher.request({
      origin: provider.origin,
      path: anthropicPath(provider.basePath, call.path),
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

/** `/messages` under `https://api.anthropic.com` or `https://api.anthropic.com/v1` -> `/v1/messages`. */
export function anthropicPath(basePath: string, path: string): string {
  const base = basePath.endsWith('/v1') ? basePath : `${basePath}/v1`;
  return base + path;
}
