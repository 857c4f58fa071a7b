// Which endpoint answers a method and path.
import { decodePathSegment } from '../shared/text';
import { speechEndpoint, transcriptionsEndpoint, translationsEndpoint } from './endpoints/audio';
import { chatCompletionsEndpoint } from './endpoints/chat-completions';
import { completionsEndpoint } from './endpoints/completions';
import { embeddingsEndpoint } from './endpoints/embeddings';
import { FAKE_FILES_PREFIX, fakeFileEndpoint, imageGenerationsEndpoint } from './endpoints/images';
import { getModelEndpoint, listModelsEndpoint } from './endpoints/models';
import { moderationsEndpoint } from './endpoints/moderations';
import { responsesEndpoint } from './endpoints/responses';
import type { RouteMatch as SharedRouteMatch } from '../shared/reply';
import type { Endpoint } from './reply';
import type { OpenAiError, ReplyOptions } from './types';

const EXACT = new Map<string, Endpoint>([
  ['POST /v1/chat/completions', chatCompletionsEndpoint],
  ['POST /v1/completions', completionsEndpoint],
  ['POST /v1/embeddings', embeddingsEndpoint],
  ['POST /v1/moderations', moderationsEndpoint],
  ['POST /v1/images/generations', imageGenerationsEndpoint],
  ['POST /v1/audio/transcriptions', transcriptionsEndpoint],
  ['POST /v1/audio/translations', translationsEndpoint],
  ['POST /v1/audio/speech', speechEndpoint],
  ['POST /v1/responses', responsesEndpoint],
  ['GET /v1/models', listModelsEndpoint],
]);

const MODEL_PREFIX = '/v1/models/';

export type RouteMatch = SharedRouteMatch<ReplyOptions, OpenAiError>;

export function findRoute(method: string, path: string): RouteMatch | undefined {
  const endpoint = EXACT.get(`${method} ${path}`);
  if (endpoint !== undefined) return { endpoint, pathParameter: '' };
  if (method !== 'GET') return undefined;
  if (path.startsWith(MODEL_PREFIX) && path.length > MODEL_PREFIX.length) {
    return { endpoint: getModelEndpoint, pathParameter: decodePathSegment(path.slice(MODEL_PREFIX.length)) };
  }
  if (path.startsWith(FAKE_FILES_PREFIX)) {
    return { endpoint: fakeFileEndpoint, pathParameter: path.slice(FAKE_FILES_PREFIX.length) };
  }
  return undefined;
}
