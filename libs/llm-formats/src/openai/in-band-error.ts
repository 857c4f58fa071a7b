import { formatSseEvent } from '../sse/sse-writer';
import { openAiError } from './openai-error';
import type { OpenAiStreamKind } from './stream-observer';

/**
 * The SSE event that tells an OpenAI-format client its stream failed after it had started. It is
 * never followed by `[DONE]`, so no client mistakes a cut stream for a complete answer.
 */
export function openAiInBandError(
  kind: OpenAiStreamKind,
  message: string,
  type: string,
  code: string,
): string {
  if (kind === 'responses') {
    return formatSseEvent(JSON.stringify({ type: 'error', code, message, param: null }), 'error');
  }
  return formatSseEvent(JSON.stringify(openAiError(message, type, code)));
}
