// OpenAI's stream faults: the malformed frame and the in-band error of each stream flavour.
import { streamServerError } from './openai-errors';
import type { StreamScript } from './reply';
import { dataFrame, namedEventFrame } from './sse';
import type { OpenAiError } from './types';

/** A frame whose `data:` is cut off mid-JSON. */
export function malformedFrame(flavour: StreamScript['flavour']): string {
  return flavour === 'data'
    ? 'data: {"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"unterminat\n\n'
    : 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"unterminat\n\n';
}

/**
 * The in-band error, `error` merged over a server error: `{"error":{…}}` for chat and completions; an
 * `error` event for Responses.
 */
export function errorFrame(
  flavour: StreamScript['flavour'],
  error: Partial<OpenAiError> | undefined,
  sequenceNumber: number,
): string {
  const full = { ...streamServerError(), ...error };
  if (flavour === 'data') return dataFrame({ error: full });
  return namedEventFrame('error', {
    type: 'error',
    code: full.code,
    message: full.message,
    param: full.param,
    sequence_number: sequenceNumber,
  });
}
