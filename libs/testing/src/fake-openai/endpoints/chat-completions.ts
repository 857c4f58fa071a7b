// POST /v1/chat/completions: `chat.completion` objects and `chat.completion.chunk` streams.
import { type Answer, answerText, requestedModel, resolveAnswer } from '../answer';
import { missingModel, missingParameter } from '../openai-errors';
import {
  type Endpoint,
  type EndpointContext,
  type Reply,
  type StreamScript,
  failure,
  openAiStream,
} from '../reply';
import { dataFrame } from '../sse';
import { SYSTEM_FINGERPRINT, conversationText, isRecord, newId, splitIntoPieces, unixSeconds } from '../text';
import { type UsageNumbers, chatUsage, countUsage } from '../usage';

export const chatCompletionsEndpoint: Endpoint = { bodyKind: 'json', answer: answerChatCompletion };

function answerChatCompletion({ body, reply }: EndpointContext): Reply {
  const model = requestedModel(body);
  if (model === undefined) return failure(400, missingModel());
  if (!Array.isArray(body.messages)) return failure(400, missingParameter('messages'));

  const conversation = conversationText(body.messages);
  const answer = resolveAnswer(reply, conversation.lastUser);
  const usage = countUsage(conversation.all, answerText(answer), answer.reasoning, reply.usage);
  const id = newId('chatcmpl-');
  if (body.stream === true) {
    const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
    return { type: 'stream', script: openAiStream(chatStream(id, model, answer, usage, includeUsage)) };
  }
  return { type: 'json', body: chatCompletion(id, model, answer, usage) };
}

function chatCompletion(id: string, model: string, answer: Answer, usage: UsageNumbers) {
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content };
  if (answer.reasoning !== '') message.reasoning_content = answer.reasoning;
  message.refusal = null;
  message.annotations = [];
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id,
    object: 'chat.completion',
    created: unixSeconds(),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: chatUsage(usage),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/**
 * Frames as OpenAI sends them: a role chunk (which carries the first tool call's header when there is
 * no content), reasoning, content, tool-call deltas, a finish chunk with an empty delta, then with
 * `include_usage` a `choices: []` usage chunk (every earlier chunk has `usage: null`).
 */
function chatStream(
  id: string,
  model: string,
  answer: Answer,
  usage: UsageNumbers,
  includeUsage: boolean,
): StreamScript {
  const created = unixSeconds();
  const chunk = (choices: unknown[], usageValue?: unknown) => {
    const payload: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
    };
    if (includeUsage) payload.usage = usageValue ?? null;
    return dataFrame(payload);
  };
  const deltaFrame = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    chunk([{ index: 0, delta, logprobs: null, finish_reason: finishReason }]);
  const toolHeader = (index: number) => {
    const call = answer.toolCalls[index]!;
    return { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
  };

  const frames: string[] = [];
  const headerInRoleChunk = answer.content === null && answer.toolCalls.length > 0;
  frames.push(
    deltaFrame(
      headerInRoleChunk
        ? { role: 'assistant', content: null, tool_calls: [toolHeader(0)], refusal: null }
        : { role: 'assistant', content: '', refusal: null },
    ),
  );
  for (const piece of splitIntoPieces(answer.reasoning, answer.pieces)) {
    frames.push(deltaFrame({ reasoning_content: piece }));
  }
  for (const piece of splitIntoPieces(answer.content ?? '', answer.pieces)) {
    frames.push(deltaFrame({ content: piece }));
  }
  answer.toolCalls.forEach((call, index) => {
    if (!(headerInRoleChunk && index === 0)) frames.push(deltaFrame({ tool_calls: [toolHeader(index)] }));
    for (const piece of splitIntoPieces(call.arguments, answer.pieces)) {
      frames.push(deltaFrame({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  const closingStart = frames.length;
  frames.push(deltaFrame({}, answer.finishReason));
  if (includeUsage) frames.push(chunk([], chatUsage(usage)));
  return { flavour: 'data', frames, closingStart, firstContentIndex: 1, endsWithDone: true };
}
