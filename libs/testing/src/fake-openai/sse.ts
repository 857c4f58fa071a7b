// Server-sent event framing, byte for byte as OpenAI writes it.
export { namedEventFrame } from '../shared/sse';

export const DONE_FRAME = 'data: [DONE]\n\n';

export function dataFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}
