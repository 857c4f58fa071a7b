// POST /v1/images/generations (a 1x1 PNG, as b64_json or as a URL the fake serves) and GET /fake-files/:name.
import { missingParameter } from '../openai-errors';
import { type Endpoint, type EndpointContext, type Reply, failure } from '../reply';
import { newId, unixSeconds } from '../text';

export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const TINY_PNG = Buffer.from(TINY_PNG_BASE64, 'base64');

export const FAKE_FILES_PREFIX = '/fake-files/';

export const imageGenerationsEndpoint: Endpoint = { bodyKind: 'json', answer: answerImageGeneration };

/** Image URLs point here, like OpenAI's short-lived blob URLs; no key needed. */
export const fakeFileEndpoint: Endpoint = {
  bodyKind: 'none',
  public: true,
  answer: () => ({ type: 'bytes', contentType: 'image/png', body: TINY_PNG }),
};

function answerImageGeneration({ body, origin }: EndpointContext): Reply {
  if (typeof body.prompt !== 'string' || body.prompt === '') return failure(400, missingParameter('prompt'));
  const model = typeof body.model === 'string' ? body.model : 'dall-e-2';
  const count = typeof body.n === 'number' && body.n > 0 ? Math.floor(body.n) : 1;
  // gpt-image models always answer base64; DALL·E answers URLs unless asked otherwise.
  const asUrl =
    body.response_format === 'url' || (body.response_format === undefined && !model.startsWith('gpt-image'));
  const data = Array.from({ length: count }, () =>
    asUrl
      ? { url: `${origin}${FAKE_FILES_PREFIX}${newId('img-')}.png`, revised_prompt: body.prompt }
      : { b64_json: TINY_PNG_BASE64, revised_prompt: body.prompt },
  );
  const response: Record<string, unknown> = { created: unixSeconds(), data };
  if (model.startsWith('gpt-image')) {
    response.usage = {
      input_tokens: 10,
      input_tokens_details: { image_tokens: 0, text_tokens: 10 },
      output_tokens: 272 * count,
      total_tokens: 10 + 272 * count,
    };
  }
  return { type: 'json', body: response };
}
