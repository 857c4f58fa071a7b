// POST /v1/messages/count_tokens: `{"input_tokens": N}`, the same N a message's `usage.input_tokens` reports.
import { requestedModel } from '../../shared/text';
import { fieldRequired } from '../anthropic-errors';
import { countInputTokens } from '../prompt';
import { type Endpoint, type EndpointContext, type Reply, failure } from '../reply';

export const countTokensEndpoint: Endpoint = { bodyKind: 'json', answer: answerCountTokens };

function answerCountTokens({ body }: EndpointContext): Reply {
  if (requestedModel(body) === undefined) return failure(400, fieldRequired('model'));
  if (!Array.isArray(body.messages)) return failure(400, fieldRequired('messages'));
  return { type: 'json', body: { input_tokens: countInputTokens(body) } };
}
