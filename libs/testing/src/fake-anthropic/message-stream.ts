// A Messages stream, frame by frame as Anthropic sends it:
//   message_start, then per block content_block_start / content_block_delta… / content_block_stop (a ping
//   after the first block starts), then message_delta (stop reason, usage) and message_stop.
import type { SseScript } from '../shared/reply';
import { namedEventFrame } from '../shared/sse';
import { splitIntoPieces } from '../shared/text';
import { overloaded } from './anthropic-errors';
import { type Answer, type AnswerBlock, deltaUsage, messageUsage } from './answer';
import type { AnthropicError } from './types';

/** Anthropic writes its ping with a space after the colon. */
export const PING_FRAME = 'event: ping\ndata: {"type": "ping"}\n\n';
export const MESSAGE_STOP_FRAME = namedEventFrame('message_stop', { type: 'message_stop' });
const MALFORMED_FRAME =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminat\n\n';

/** The message as `message_start` carries it: no content, no stop reason, one output token so far. */
export function startingMessage(id: string, model: string, answer: Answer) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: messageUsage(answer.usage, 1),
  };
}

/** The `error` event a stream ends with when the upstream fails mid-answer. */
export function errorEventFrame(error: Partial<AnthropicError> | undefined): string {
  return namedEventFrame('error', { type: 'error', error: { ...overloaded(), ...error } });
}

/** A block as `content_block_start` opens it: empty text, thinking and input; redacted thinking whole. */
function openingBlock(block: AnswerBlock) {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      return block;
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

/** The deltas that fill a block. Tool input JSON is cut at fixed positions, inside strings too. */
function blockDeltas(block: AnswerBlock, pieces: number): Record<string, unknown>[] {
  switch (block.type) {
    case 'text':
      return splitIntoPieces(block.text, pieces).map((text) => ({ type: 'text_delta', text }));
    case 'thinking':
      return [
        ...splitIntoPieces(block.thinking, pieces).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'redacted_thinking':
      return [];
    case 'tool_use':
      // Like the real API, the first fragment is empty.
      return ['', ...splitIntoPieces(JSON.stringify(block.input), pieces)].map((partial_json) => ({
        type: 'input_json_delta',
        partial_json,
      }));
  }
}

export function messageStream(
  id: string,
  model: string,
  answer: Answer,
  pingIntervalMs: number | undefined,
): SseScript<AnthropicError> {
  const frames: string[] = [];
  let firstContentIndex = -1;
  const emit = (type: string, fields: Record<string, unknown>) =>
    frames.push(namedEventFrame(type, { type, ...fields }));

  emit('message_start', { message: startingMessage(id, model, answer) });
  answer.blocks.forEach((block, index) => {
    emit('content_block_start', { index, content_block: openingBlock(block) });
    if (index === 0) frames.push(PING_FRAME);
    for (const delta of blockDeltas(block, answer.pieces)) {
      if (firstContentIndex === -1) firstContentIndex = frames.length;
      emit('content_block_delta', { index, delta });
    }
    emit('content_block_stop', { index });
  });
  if (answer.blocks.length === 0) frames.push(PING_FRAME);
  const closingStart = frames.length;
  emit('message_delta', {
    delta: { stop_reason: answer.stopReason, stop_sequence: answer.stopSequence },
    usage: deltaUsage(answer.usage),
  });
  return {
    frames,
    closingStart,
    firstContentIndex: firstContentIndex === -1 ? closingStart : firstContentIndex,
    terminator: [MESSAGE_STOP_FRAME],
    faults: { malformed: MALFORMED_FRAME, error: errorEventFrame },
    keepAlive:
      pingIntervalMs !== undefined && pingIntervalMs > 0
        ? { frame: PING_FRAME, everyMs: pingIntervalMs }
        : undefined,
  };
}
