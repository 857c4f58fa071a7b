// What an OpenAI endpoint answers, before timing and faults are applied by the shared delivery step.
import type * as Shared from '../shared/reply';
import { DONE_FRAME } from './sse';
import { errorFrame, malformedFrame } from './stream-faults';
import type { OpenAiError, ReplyOptions } from './types';

export { failure, type BodyKind } from '../shared/reply';

/** An OpenAI SSE stream as serialised frames, with the marks the fault behaviours need. */
export interface StreamScript {
  /** `data`: chat and legacy completions (`data:` lines, `[DONE]` at the end). `events`: Responses (`event:` + `data:`). */
  flavour: 'data' | 'events';
  frames: string[];
  /** Index of the first closing frame (finish reason / usage / `response.completed`); faults stop before it. */
  closingStart: number;
  /** Index of the first frame carrying content; `slowFirstToken` waits before it. */
  firstContentIndex: number;
  /** Ends with `data: [DONE]` when complete. */
  endsWithDone: boolean;
}

export type Reply = Shared.Reply<OpenAiError>;
export type EndpointContext = Shared.EndpointContext<ReplyOptions>;
export type Endpoint = Shared.Endpoint<ReplyOptions, OpenAiError>;

/** The shared script of an OpenAI stream: its terminator and fault frames follow its flavour. */
export function openAiStream(script: StreamScript): Shared.SseScript<OpenAiError> {
  const { flavour } = script;
  return {
    frames: script.frames,
    closingStart: script.closingStart,
    firstContentIndex: script.firstContentIndex,
    terminator: script.endsWithDone ? [DONE_FRAME] : [],
    faults: {
      malformed: malformedFrame(flavour),
      error: (error, sequenceNumber) => errorFrame(flavour, error, sequenceNumber),
    },
  };
}
