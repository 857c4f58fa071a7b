// Which endpoint answers a method and path.
import { decodePathSegment } from '../shared/text';
import { countTokensEndpoint } from './endpoints/count-tokens';
import { messagesEndpoint } from './endpoints/messages';
import { getModelEndpoint, listModelsEndpoint } from './endpoints/models';
import type { Endpoint, RouteMatch } from './reply';

const EXACT = new Map<string, Endpoint>([
  ['POST /v1/messages', messagesEndpoint],
  ['POST /v1/messages/count_tokens', countTokensEndpoint],
  ['GET /v1/models', listModelsEndpoint],
]);

const MODEL_PREFIX = '/v1/models/';

export function findRoute(method: string, path: string): RouteMatch | undefined {
  const endpoint = EXACT.get(`${method} ${path}`);
  if (endpoint !== undefined) return { endpoint, pathParameter: '' };
  if (method === 'GET' && path.startsWith(MODEL_PREFIX) && path.length > MODEL_PREFIX.length) {
    return { endpoint: getModelEndpoint, pathParameter: decodePathSegment(path.slice(MODEL_PREFIX.length)) };
  }
  return undefined;
}
