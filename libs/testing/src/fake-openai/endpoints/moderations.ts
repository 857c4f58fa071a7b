// POST /v1/moderations: text that mentions killing or violence is flagged as `violence`, all else passes.
import { missingParameter } from '../openai-errors';
import { type Endpoint, type EndpointContext, type Reply, failure } from '../reply';
import { isRecord, newId } from '../text';

export const moderationsEndpoint: Endpoint = { bodyKind: 'json', answer: answerModeration };

const CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

const VIOLENT = /\bkill|violen/i;

function inputsOf(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  // Multimodal input is one input made of parts; a string array is several inputs.
  if (input.every((item) => typeof item === 'string')) return input;
  const text = input
    .filter(isRecord)
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .join('\n');
  return [text];
}

function moderate(text: string) {
  const flagged = VIOLENT.test(text);
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  const appliedInputTypes: Record<string, string[]> = {};
  for (const category of CATEGORIES) {
    const hit = flagged && category === 'violence';
    categories[category] = hit;
    scores[category] = hit ? 0.9731 : 0.0001;
    appliedInputTypes[category] = ['text'];
  }
  return { flagged, categories, category_scores: scores, category_applied_input_types: appliedInputTypes };
}

function answerModeration({ body }: EndpointContext): Reply {
  const inputs = inputsOf(body.input);
  if (inputs === undefined) return failure(400, missingParameter('input'));
  const model = typeof body.model === 'string' ? body.model : 'omni-moderation-latest';
  return { type: 'json', body: { id: newId('modr-'), model, results: inputs.map(moderate) } };
}
