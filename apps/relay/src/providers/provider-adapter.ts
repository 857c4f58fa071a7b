import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { KeyLease } from '../keys/key-lease';
import type { RuntimeProvider } from './runtime-provider';

/** One HTTP exchange with an upstream, as the relay asks for it. */
export interface UpstreamCall {
  provider: RuntimeProvider;
  key: KeyLease;
  /** API path relative to the provider's base URL, e.g. `/chat/completions`. */
  path: string;
  method: 'GET' | 'POST';
  body?: string | Buffer;
  contentType?: string;
  /** Extra request headers (e.g. `x-request-id`); the provider's configured headers win. */
  headers?: Record<string, string>;
  /** Aborts the exchange (client disconnect, first-token timeout). */
  signal: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
}

/**
 * Speaks one upstream wire protocol. Resolves when response headers arrive; rejects on connection
 * failure, header timeout or abort. Adapters know nothing about routing, keys policy or retries.
 */
export interface ProviderAdapter {
  readonly kind: string;
  send(call: UpstreamCall): Promise<UpstreamResponse>;
}
