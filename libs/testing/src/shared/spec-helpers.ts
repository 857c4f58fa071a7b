// Helpers for the fakes' own specs: SSE reading, transport failures and timing over loopback.

export interface SseFrame {
  event: string | undefined;
  data: string;
}

/** Splits an SSE body into frames; each frame's `event:` and joined `data:` lines. */
export function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
      }
      return { event, data: data.join('\n') };
    });
}

export async function readSse(response: Response): Promise<SseFrame[]> {
  return parseSse(await response.text());
}

/** Reads a streamed body until `predicate` holds for the text so far (or the body ends). */
export async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

export function frameCount(text: string): number {
  return text.split('\n\n').length - 1;
}

/** The `code` of a failed fetch's cause (ECONNREFUSED, ECONNRESET, …). */
export async function fetchFailureCode(request: Promise<Response>): Promise<string | undefined> {
  try {
    const response = await request;
    await response.arrayBuffer();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as { code?: string }).code ?? (error as Error).message;
  }
  return undefined;
}

export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads a body to its end or to a transport failure, keeping what arrived. */
export async function readAllowingFailure(response: Response): Promise<{ text: string; failed: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { text, failed: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, failed: true };
  }
}

/** Resolves 'timeout' if the promise has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
