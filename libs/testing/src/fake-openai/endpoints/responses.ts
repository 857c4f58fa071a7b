// POST /v1/responses: a `response` object, or the Responses event stream (`event:` + `data:` frames).
import { type Answer, answerText, requestedModel, resolveAnswer } from '../answer';
import { missingModel } from '../openai-errors';
import {
  type Endpoint,
  type EndpointContext,
  type Reply,
  type StreamScript,
  failure,
  openAiStream,
} from '../reply';
import { namedEventFrame } from '../sse';
import { conversationText, isRecord, newId, splitIntoPieces, unixSeconds } from '../text';
import { type UsageNumbers, countUsage, responsesUsage } from '../usage';

export const responsesEndpoint: Endpoint = { bodyKind: 'json', answer: answerResponse };

function inputText(body: Record<string, unknown>): { all: string; lastUser: string } {
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  if (typeof body.input === 'string') {
    return { all: [instructions, body.input].filter(Boolean).join('\n'), lastUser: body.input };
  }
  const items = Array.isArray(body.input) ? body.input : [];
  const conversation = conversationText(items.filter((item) => isRecord(item) && 'role' in item));
  const toolOutputs = items
    .filter(isRecord)
    .map((item) => (typeof item.output === 'string' ? item.output : ''))
    .filter(Boolean);
  return {
    all: [instructions, conversation.all, ...toolOutputs].filter(Boolean).join('\n'),
    lastUser: conversation.lastUser,
  };
}

interface OutputIds {
  reasoning: string;
  message: string;
  calls: string[];
}

function answerResponse({ body, reply }: EndpointContext): Reply {
  const model = requestedModel(body);
  if (model === undefined) return failure(400, missingModel());
  const input = inputText(body);
  const answer = resolveAnswer(reply, input.lastUser);
  const usage = countUsage(input.all, answerText(answer), answer.reasoning, reply.usage);
  const envelope = responseEnvelope(newId('resp_'), model, body);
  const ids: OutputIds = {
    reasoning: newId('rs_'),
    message: newId('msg_'),
    calls: answer.toolCalls.map(() => newId('fc_')),
  };
  if (body.stream === true)
    return { type: 'stream', script: openAiStream(responseStream(envelope, answer, ids, usage)) };
  return { type: 'json', body: finished(envelope, answer, ids, usage) };
}

type Envelope = Record<string, unknown>;

function responseEnvelope(id: string, model: string, body: Record<string, unknown>): Envelope {
  return {
    id,
    object: 'response',
    created_at: unixSeconds(),
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: body.metadata ?? {},
  };
}

const outputText = (text: string) => ({ type: 'output_text', annotations: [], logprobs: [], text });
const summaryText = (text: string) => ({ type: 'summary_text', text });

function outputItems(answer: Answer, ids: OutputIds): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (answer.reasoning !== '') {
    items.push({ id: ids.reasoning, type: 'reasoning', summary: [summaryText(answer.reasoning)] });
  }
  if (answer.content !== null) {
    items.push({
      id: ids.message,
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [outputText(answer.content)],
    });
  }
  answer.toolCalls.forEach((call, index) => {
    items.push({
      id: ids.calls[index],
      type: 'function_call',
      status: 'completed',
      arguments: call.arguments,
      call_id: call.id,
      name: call.name,
    });
  });
  return items;
}

/** `finishReason: 'length'` makes the response `incomplete`, as when `max_output_tokens` runs out. */
function finished(envelope: Envelope, answer: Answer, ids: OutputIds, usage: UsageNumbers): Envelope {
  const incomplete = answer.finishReason === 'length';
  return {
    ...envelope,
    status: incomplete ? 'incomplete' : 'completed',
    completed_at: incomplete ? null : unixSeconds(),
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    output: outputItems(answer, ids),
    usage: responsesUsage(usage),
  };
}

function responseStream(
  envelope: Envelope,
  answer: Answer,
  ids: OutputIds,
  usage: UsageNumbers,
): StreamScript {
  const frames: string[] = [];
  let firstContentIndex = -1;
  const emit = (type: string, fields: Record<string, unknown>) => {
    frames.push(namedEventFrame(type, { type, ...fields, sequence_number: frames.length }));
  };
  const emitDelta = (type: string, fields: Record<string, unknown>) => {
    if (firstContentIndex === -1) firstContentIndex = frames.length;
    emit(type, fields);
  };
  const final = finished(envelope, answer, ids, usage);
  const items = final.output as Record<string, unknown>[];

  emit('response.created', { response: envelope });
  emit('response.in_progress', { response: envelope });
  let outputIndex = 0;
  if (answer.reasoning !== '') {
    const item_id = ids.reasoning;
    const at = { item_id, output_index: outputIndex, summary_index: 0 };
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: { id: item_id, type: 'reasoning', summary: [] },
    });
    emit('response.reasoning_summary_part.added', { ...at, part: summaryText('') });
    for (const delta of splitIntoPieces(answer.reasoning, answer.pieces)) {
      emitDelta('response.reasoning_summary_text.delta', { ...at, delta });
    }
    emit('response.reasoning_summary_text.done', { ...at, text: answer.reasoning });
    emit('response.reasoning_summary_part.done', { ...at, part: summaryText(answer.reasoning) });
    emit('response.output_item.done', { output_index: outputIndex, item: items[outputIndex] });
    outputIndex += 1;
  }
  if (answer.content !== null) {
    const item_id = ids.message;
    const at = { item_id, output_index: outputIndex, content_index: 0 };
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: { id: item_id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    });
    emit('response.content_part.added', { ...at, part: outputText('') });
    for (const delta of splitIntoPieces(answer.content, answer.pieces)) {
      emitDelta('response.output_text.delta', { ...at, delta, logprobs: [] });
    }
    emit('response.output_text.done', { ...at, text: answer.content, logprobs: [] });
    emit('response.content_part.done', { ...at, part: outputText(answer.content) });
    emit('response.output_item.done', { output_index: outputIndex, item: items[outputIndex] });
    outputIndex += 1;
  }
  answer.toolCalls.forEach((call, index) => {
    const item_id = ids.calls[index];
    const at = { item_id, output_index: outputIndex };
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: {
        id: item_id,
        type: 'function_call',
        status: 'in_progress',
        arguments: '',
        call_id: call.id,
        name: call.name,
      },
    });
    for (const delta of splitIntoPieces(call.arguments, answer.pieces)) {
      emitDelta('response.function_call_arguments.delta', { ...at, delta });
    }
    emit('response.function_call_arguments.done', { ...at, name: call.name, arguments: call.arguments });
    emit('response.output_item.done', { output_index: outputIndex, item: items[outputIndex] });
    outputIndex += 1;
  });
  const closingStart = frames.length;
  emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  return {
    flavour: 'events',
    frames,
    closingStart,
    firstContentIndex: firstContentIndex === -1 ? closingStart : firstContentIndex,
    endsWithDone: false,
  };
}
