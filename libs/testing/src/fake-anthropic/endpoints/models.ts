// GET /v1/models (paged with limit, after_id, before_id) and GET /v1/models/:id, in Anthropic's shape.
import { invalidRequest, modelNotFound } from '../anthropic-errors';
import { type Endpoint, type EndpointContext, type Reply, failure } from '../reply';

/** Newest first, as the real listing orders them. */
export const DEFAULT_MODELS = [
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-1-20250805',
  'claude-opus-4-20250514',
  'claude-sonnet-4-20250514',
  'claude-3-7-sonnet-20250219',
  'claude-3-5-haiku-20241022',
];

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
/** Models without a date in their id. */
const FALLBACK_CREATED_AT = '2025-01-01T00:00:00Z';
const DATE_SUFFIX = /-(\d{4})(\d{2})(\d{2})$/;

/** `claude-sonnet-4-5-20250929` → `Claude Sonnet 4.5`. */
function displayName(id: string): string {
  const words = id.replace(DATE_SUFFIX, '').split('-');
  const out: string[] = [];
  for (const word of words) {
    const previous = out.at(-1);
    if (/^\d+$/.test(word) && previous !== undefined && /^\d+(\.\d+)*$/.test(previous)) {
      out[out.length - 1] = `${previous}.${word}`;
    } else {
      out.push(word.charAt(0).toUpperCase() + word.slice(1));
    }
  }
  return out.join(' ');
}

function modelInfo(id: string) {
  const date = DATE_SUFFIX.exec(id);
  const created_at = date ? `${date[1]}-${date[2]}-${date[3]}T00:00:00Z` : FALLBACK_CREATED_AT;
  return { type: 'model', id, display_name: displayName(id), created_at };
}

export const listModelsEndpoint: Endpoint = { bodyKind: 'none', answer: listModels };

function listModels({ models, query }: EndpointContext): Reply {
  const params = new URLSearchParams(query);
  const limit = params.has('limit') ? Number(params.get('limit')) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return failure(400, invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`));
  }
  const afterId = params.get('after_id');
  const beforeId = params.get('before_id');
  let page: readonly string[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = Math.max(0, models.indexOf(beforeId));
    page = models.slice(Math.max(0, end - limit), end);
    hasMore = end - limit > 0;
  } else {
    const start = afterId === null ? 0 : models.indexOf(afterId) + 1;
    page = start === 0 && afterId !== null ? [] : models.slice(start, start + limit);
    hasMore = start + limit < models.length && page.length > 0;
  }
  return {
    type: 'json',
    body: {
      data: page.map(modelInfo),
      has_more: hasMore,
      first_id: page[0] ?? null,
      last_id: page.at(-1) ?? null,
    },
  };
}

export const getModelEndpoint: Endpoint = {
  bodyKind: 'none',
  answer: ({ models, pathParameter }: EndpointContext): Reply =>
    models.includes(pathParameter)
      ? { type: 'json', body: modelInfo(pathParameter) }
      : failure(404, modelNotFound(pathParameter)),
};
