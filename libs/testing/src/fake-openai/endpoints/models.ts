// GET /v1/models and GET /v1/models/:id.
import { modelNotFound } from '../openai-errors';
import { type Endpoint, type Reply, failure } from '../reply';

export const DEFAULT_MODELS = [
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1',
  'o3-mini',
  'text-embedding-3-small',
  'omni-moderation-latest',
  'dall-e-3',
  'whisper-1',
  'tts-1',
];

/** A fixed date, so listings are deterministic. */
const CREATED = 1_700_000_000;

function modelObject(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'system' };
}

export const listModelsEndpoint: Endpoint = {
  bodyKind: 'none',
  answer: ({ models }): Reply => ({ type: 'json', body: { object: 'list', data: models.map(modelObject) } }),
};

export const getModelEndpoint: Endpoint = {
  bodyKind: 'none',
  answer: ({ models, pathParameter }): Reply =>
    models.includes(pathParameter)
      ? { type: 'json', body: modelObject(pathParameter) }
      : failure(404, { ...modelNotFound(pathParameter), param: 'model' }),
};
