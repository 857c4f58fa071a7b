import type { FastifyRequest } from 'fastify';
import type { RuntimeProvider } from '../providers/runtime-provider';

const ANTHROPIC_CLIENT_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

/** Request headers for the upstream: the request id, and Anthropic's version headers for Anthropic. */
export function upstreamHeaders(request: FastifyRequest, provider: RuntimeProvider): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': request.id };
  if (provider.config.provider_type === 'anthropic') {
    for (const name of ANTHROPIC_CLIENT_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
  }
  return headers;
}
