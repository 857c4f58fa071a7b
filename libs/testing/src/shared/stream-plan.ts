// Which frames a stream sends under a behaviour, and how the connection ends.
import type { SseScript } from './reply';
import type { AnyBehaviour } from './types';

export interface StreamPlan {
  frames: string[];
  /** `end` finishes the HTTP response; `cut` drops the connection; `stall` keeps it open (and silent, or pinging). */
  ending: 'end' | 'cut' | 'stall';
}

export function planStream<E>(script: SseScript<E>, behaviour: AnyBehaviour<E>): StreamPlan {
  const { frames, closingStart, terminator } = script;
  const before = (afterChunks: number) => frames.slice(0, Math.max(0, Math.min(afterChunks, closingStart)));
  switch (behaviour.kind) {
    case 'cutStream':
      return { frames: before(behaviour.afterChunks), ending: 'cut' };
    case 'stallStream':
      return { frames: before(behaviour.afterChunks), ending: 'stall' };
    case 'malformedEvent': {
      const head = before(behaviour.afterChunks);
      const rest = behaviour.then === 'continue' ? [...frames.slice(head.length), ...terminator] : [];
      return { frames: [...head, script.faults.malformed, ...rest], ending: 'end' };
    }
    case 'errorEvent': {
      const head = before(behaviour.afterChunks);
      return { frames: [...head, script.faults.error(behaviour.error, head.length)], ending: 'end' };
    }
    case 'noDone':
    case 'noStop':
      return { frames, ending: 'end' };
    default:
      return { frames: [...frames, ...terminator], ending: 'end' };
  }
}
