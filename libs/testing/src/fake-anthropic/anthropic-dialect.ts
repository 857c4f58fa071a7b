// How the fake speaks Anthropic: `x-api-key` (or a bearer API key, as SDK 1.x sends it), a required
// `anthropic-version`, `{"type":"error",…}` bodies with the request id, and Anthropic's response headers.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Dialect } from '../shared/dialect';
import {
  anthropicError,
  defaultErrorForStatus,
  errorBody,
  invalidApiKey,
  invalidVersion,
  missingApiKey,
  missingVersion,
  notFound,
  overloaded,
  unparsableJson,
} from './anthropic-errors';
import { DEFAULT_MODELS } from './endpoints/models';
import { requestId } from './ids';
import { successRateLimitHeaders } from './rate-limits';
import { findRoute } from './routes';
import type { AnthropicError, AnthropicRecordedRequest, AnthropicReplyOptions } from './types';

/** `anthropic-version` values the fake accepts by default: the API's two, and the one SDK 1.x sends. */
export const ANTHROPIC_VERSIONS: readonly string[] = ['2023-01-01', '2023-06-01', '2026-10-21'];

const ORGANIZATION_ID = '00000000-0000-4000-8000-00000000fa4e';
const BEARER = /^Bearer\s+(.+)$/i;

export type AnthropicRequestExtras = Pick<
  AnthropicRecordedRequest,
  'anthropicVersion' | 'anthropicBeta' | 'authScheme'
>;

function bearerKey(headers: IncomingHttpHeaders): string | undefined {
  const match = headers.authorization === undefined ? null : BEARER.exec(headers.authorization);
  return match ? match[1]!.trim() : undefined;
}

function apiKeyHeader(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-api-key'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export function anthropicDialect(
  versions: readonly string[] = ANTHROPIC_VERSIONS,
): Dialect<AnthropicReplyOptions, AnthropicError, AnthropicRequestExtras> {
  const accepted = new Set(versions);
  return {
    baseUrlPath: '',
    defaultModels: DEFAULT_MODELS,
    findRoute,
    newRequestId: requestId,

    headers(contentType, success, id): OutgoingHttpHeaders {
      const headers: OutgoingHttpHeaders = {
        'content-type': contentType,
        'request-id': id,
        'anthropic-organization-id': ORGANIZATION_ID,
      };
      if (contentType.startsWith('text/event-stream')) headers['cache-control'] = 'no-cache';
      return success ? Object.assign(headers, successRateLimitHeaders(Date.now())) : headers;
    },

    errorBody,
    errorForStatus: defaultErrorForStatus,
    inBandError: (error) => ({ ...overloaded(), ...error }),
    internalError: (message) => anthropicError('api_error', message),

    /** `x-api-key` first; else the bearer key. */
    keyOf: (headers) => apiKeyHeader(headers) ?? bearerKey(headers),

    /** A key is always required (any key when `keys` is not set); then a known `anthropic-version`. */
    admit({ headers, key, acceptedKeys }) {
      if (key === undefined) return { status: 401, error: missingApiKey() };
      if (acceptedKeys !== undefined && !acceptedKeys.has(key))
        return { status: 401, error: invalidApiKey() };
      const version = single(headers['anthropic-version']);
      if (version === undefined || version === '') return { status: 400, error: missingVersion() };
      if (!accepted.has(version)) return { status: 400, error: invalidVersion(version) };
      return undefined;
    },

    unknownRoute: () => ({ status: 404, error: notFound() }),
    unreadableBody: () => unparsableJson(),

    recordExtras(headers): AnthropicRequestExtras {
      const beta = single(headers['anthropic-beta']);
      return {
        anthropicVersion: single(headers['anthropic-version']),
        anthropicBeta:
          beta === undefined
            ? []
            : beta
                .split(',')
                .map((flag) => flag.trim())
                .filter((flag) => flag !== ''),
        authScheme:
          apiKeyHeader(headers) !== undefined
            ? 'x-api-key'
            : bearerKey(headers) !== undefined
              ? 'bearer'
              : undefined,
      };
    },
  };
}
