/** Serializes one SSE event. `data` must not contain newlines when it is JSON from JSON.stringify. */
export function formatSseEvent(data: string, event?: string): string {
  if (data.includes('\n')) {
    const lines = data.split('\n').map((line) => `data: ${line}`);
    return `${event ? `event: ${event}\n` : ''}${lines.join('\n')}\n\n`;
  }
  return event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}

/** An SSE comment: ignored by clients, keeps proxies and idle timers from closing the stream. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/\n/g, ' ')}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';
