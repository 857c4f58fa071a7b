/** The text of every message, for complexity routing. */
export function promptTextOf(body: Record<string, unknown> | null): string {
  if (!body) return '';
  const parts: string[] = [];
  const collect = (content: unknown): void => {
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
          parts.push((part as { text: string }).text);
        }
      }
    }
  };
  if (Array.isArray(body.messages))
    for (const message of body.messages) collect((message as { content?: unknown })?.content);
  collect(body.prompt);
  collect(body.input);
  collect(body.instructions);
  return parts.join('\n');
}
