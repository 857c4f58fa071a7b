// How the fake speaks OpenAI: bearer keys, `{"error":{…}}` bodies, OpenAI's response headers.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Dialect } from '../shared/dialect';
import { DEFAULT_MODELS } from './endpoints/models';
import {
  defaultErrorForStatus,
  errorBody,
  incorrectApiKey,
  invalidUrl,
  openAiError,
  streamServerError,
  unparsableJson,
} from './openai-errors';
import { findRoute } from './routes';
import type { OpenAiError, ReplyOptions } from './types';

const SUCCESS_RATE_LIMIT_HEADERS = {
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-limit-tokens': '30000000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-remaining-tokens': '29999000',
  'x-ratelimit-reset-requests': '1s',
  'x-ratelimit-reset-tokens': '0s',
} as const;

const BEARER = /^Bearer\s+(.+)$/i;

export const openAiDialect: Dialect<ReplyOptions, OpenAiError> = {
  baseUrlPath: '/v1',
  defaultModels: DEFAULT_MODELS,
  findRoute,
  newRequestId: () => `req_${randomUUID().replaceAll('-', '')}`,

  /** Headers every OpenAI response carries; success responses add the rate-limit window. */
  headers(contentType, success, requestId, receivedAt): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {
      'content-type': contentType,
      'x-request-id': requestId,
      'openai-version': '2020-10-01',
      'openai-organization': 'org-fake',
      'openai-processing-ms': String(Date.now() - receivedAt),
    };
    return success ? Object.assign(headers, SUCCESS_RATE_LIMIT_HEADERS) : headers;
  },

  errorBody: (error) => errorBody(error),
  errorForStatus: defaultErrorForStatus,
  inBandError: (error) => ({ ...streamServerError(), ...error }),
  internalError: (message) => openAiError(message, 'server_error'),

  keyOf(headers: IncomingHttpHeaders): string | undefined {
    const authorization = headers.authorization;
    if (authorization === undefined) return undefined;
    const match = BEARER.exec(authorization);
    return match ? match[1]!.trim() : undefined;
  },

  /** Without `keys` the fake takes every request, even one without a key. */
  admit({ key, acceptedKeys }) {
    if (acceptedKeys === undefined || (key !== undefined && acceptedKeys.has(key))) return undefined;
    return { status: 401, error: incorrectApiKey(key) };
  },

  unknownRoute: (method, path) => ({ status: 404, error: invalidUrl(method, path) }),

  unreadableBody: (endpoint, message) =>
    endpoint.bodyKind === 'json' ? unparsableJson() : openAiError(message, 'invalid_request_error'),

  recordExtras: () => ({}),
};
