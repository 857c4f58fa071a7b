// POST /v1/embeddings: deterministic unit vectors (floats, or base64 little-endian float32).
import { requestedModel } from '../answer';
import { missingModel, missingParameter } from '../openai-errors';
import { type Endpoint, type EndpointContext, type Reply, failure } from '../reply';
import { estimateTokens } from '../text';
import { countUsage } from '../usage';

const DEFAULT_EMBEDDING_DIMENSIONS = 16;

export const embeddingsEndpoint: Endpoint = { bodyKind: 'json', answer: answerEmbeddings };

/** Each input as text; token arrays are embedded by their numbers. */
function inputsOf(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input.join(',')];
  return input.map((item) => (Array.isArray(item) ? item.join(',') : String(item)));
}

/** FNV-1a seeded xorshift: the same text always gives the same vector. */
function embed(text: string, dimensions: number): Float32Array {
  let seed = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    seed ^= text.charCodeAt(i);
    seed = Math.imul(seed, 0x01000193);
  }
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const value = (seed >>> 0) / 0xffffffff - 0.5;
    vector[i] = value;
    norm += value * value;
  }
  const scale = norm === 0 ? 0 : 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = vector[i]! * scale;
  return vector;
}

function answerEmbeddings({ body }: EndpointContext): Reply {
  const model = requestedModel(body);
  if (model === undefined) return failure(400, missingModel());
  const inputs = inputsOf(body.input);
  if (inputs === undefined) return failure(400, missingParameter('input'));
  const dimensions =
    typeof body.dimensions === 'number' && body.dimensions > 0
      ? Math.floor(body.dimensions)
      : DEFAULT_EMBEDDING_DIMENSIONS;
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((text, index) => {
    const vector = embed(text, dimensions);
    return {
      object: 'embedding',
      index,
      embedding: base64 ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector),
    };
  });
  const promptTokens = inputs.reduce((sum, text) => sum + Math.max(1, estimateTokens(text)), 0);
  const usage = countUsage('', '', '', { promptTokens, completionTokens: 0 });
  return {
    type: 'json',
    body: {
      object: 'list',
      data,
      model,
      usage: { prompt_tokens: usage.promptTokens, total_tokens: usage.totalTokens },
    },
  };
}
