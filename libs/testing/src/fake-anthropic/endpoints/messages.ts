// POST /v1/messages: `message` objects and Messages streams.
import { requestedModel } from '../../shared/text';
import { fieldRequired, invalidRequest } from '../anthropic-errors';
import { type Answer, messageUsage, resolveAnswer } from '../answer';
import { messageId } from '../ids';
import { messageStream } from '../message-stream';
import { type Endpoint, type EndpointContext, type Reply, failure } from '../reply';

export const messagesEndpoint: Endpoint = { bodyKind: 'json', answer: answerMessages };

function answerMessages({ body, reply }: EndpointContext): Reply {
  const model = requestedModel(body);
  if (model === undefined) return failure(400, fieldRequired('model'));
  if (body.max_tokens === undefined) return failure(400, fieldRequired('max_tokens'));
  if (body.messages === undefined) return failure(400, fieldRequired('messages'));
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return failure(400, invalidRequest('messages: at least one message is required'));
  }

  const answer = resolveAnswer(body, reply);
  const id = messageId();
  if (body.stream === true) {
    return { type: 'stream', script: messageStream(id, model, answer, reply.pingIntervalMs) };
  }
  return { type: 'json', body: message(id, model, answer) };
}

function message(id: string, model: string, answer: Answer) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: answer.blocks,
    stop_reason: answer.stopReason,
    stop_sequence: answer.stopSequence,
    usage: messageUsage(answer.usage),
  };
}
