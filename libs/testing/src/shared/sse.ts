// Server-sent event framing shared by the fakes.

/** `event: <name>` then one `data:` line of compact JSON, as OpenAI's Responses API and Anthropic write them. */
export function namedEventFrame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}
