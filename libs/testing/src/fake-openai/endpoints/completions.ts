// POST /v1/completions (legacy): `text_completion` objects and streams.
import { answerText, requestedModel, resolveAnswer } from '../answer';
import { missingModel } from '../openai-errors';
import { type Endpoint, type EndpointContext, type Reply, failure, openAiStream } from '../reply';
import { dataFrame } from '../sse';
import { SYSTEM_FINGERPRINT, isRecord, newId, splitIntoPieces, unixSeconds } from '../text';
import { countUsage, legacyUsage } from '../usage';

export const completionsEndpoint: Endpoint = { bodyKind: 'json', answer: answerCompletion };

function promptText(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt)) return prompt.filter((item) => typeof item === 'string').join('\n');
  return '';
}

function answerCompletion({ body, reply }: EndpointContext): Reply {
  const model = requestedModel(body);
  if (model === undefined) return failure(400, missingModel());
  const prompt = promptText(body.prompt);
  const answer = resolveAnswer(reply, prompt);
  const text = answer.content ?? '';
  const usage = countUsage(prompt, answerText(answer), answer.reasoning, reply.usage);
  const id = newId('cmpl-');
  const created = unixSeconds();

  if (body.stream !== true) {
    return {
      type: 'json',
      body: {
        id,
        object: 'text_completion',
        created,
        model,
        system_fingerprint: SYSTEM_FINGERPRINT,
        choices: [{ text, index: 0, logprobs: null, finish_reason: answer.finishReason }],
        usage: legacyUsage(usage),
      },
    };
  }

  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  const chunk = (choices: unknown[], usageValue?: unknown) => {
    const payload: Record<string, unknown> = {
      id,
      object: 'text_completion',
      created,
      choices,
      model,
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
    if (includeUsage) payload.usage = usageValue ?? null;
    return dataFrame(payload);
  };
  const textFrame = (piece: string, finishReason: string | null = null) =>
    chunk([{ text: piece, index: 0, logprobs: null, finish_reason: finishReason }]);

  const frames = splitIntoPieces(text, answer.pieces).map((piece) => textFrame(piece));
  const closingStart = frames.length;
  frames.push(textFrame('', answer.finishReason));
  if (includeUsage) frames.push(chunk([], legacyUsage(usage)));
  return {
    type: 'stream',
    script: openAiStream({ flavour: 'data', frames, closingStart, firstContentIndex: 0, endsWithDone: true }),
  };
}
