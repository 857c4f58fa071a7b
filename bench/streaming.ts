import type { Client } from 'undici';
import { type AddedMs, added, describeEach } from './latency';
import { type LoopBounds, type Progress, UnexpectedStatus, sampleSequentially } from './sequential-loop';
import type { Distribution } from './stats';
import type { ClientFormat, MainTarget, Target, TargetName } from './targets';

export interface StreamTiming {
  headersMs: number;
  /** First body byte, whatever it holds (a chat stream starts with a content-less role chunk). */
  firstByteMs: number;
  /** First bytes of the first event with content: what a user sees as the first token. */
  firstContentMs: number;
  totalMs: number;
}

export interface StreamingResult {
  samplesPerTarget: number;
  complete: boolean;
  chunks: number;
  chunkDelayMs: number;
  headersMs: Record<TargetName, Distribution>;
  firstByteMs: Record<TargetName, Distribution>;
  firstContentMs: Record<TargetName, Distribution>;
  totalMs: Record<TargetName, Distribution>;
  /** relay minus direct, time to first content: the streaming budget line. */
  relayAddedFirstContentMs: AddedMs;
  /** relay minus direct, time to first byte of any kind. */
  relayAddedFirstByteMs: AddedMs;
  baselineAddedFirstContentMs: AddedMs;
}

/**
 * Watches an SSE stream as it arrives and says when the first event carrying content is complete:
 * a non-empty `delta.content` (OpenAI chat) or a `content_block_delta` with non-empty `text` (Anthropic
 * Messages). It also notices the stream's normal end: `data: [DONE]` or a `message_stop` event.
 */
export class FirstContentDetector {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private sawContent = false;
  /** True once the stream's normal end marker has been seen. */
  ended = false;

  constructor(private readonly format: ClientFormat = 'chat') {}

  /** True once a complete `data:` line with content has been seen (including in this chunk). */
  feed(chunk: Uint8Array): boolean {
    this.pending += this.decoder.decode(chunk, { stream: true });
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      const line = this.pending.slice(0, newline).trim();
      this.pending = this.pending.slice(newline + 1);
      this.look(line);
      newline = this.pending.indexOf('\n');
    }
    return this.sawContent;
  }

  private look(line: string): void {
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      this.ended = true;
      return;
    }
    if (this.format === 'messages' && data.includes('"message_stop"')) {
      this.ended = true;
      return;
    }
    // Once content was seen only the end marker matters: no more JSON parsing on the client side.
    if (this.sawContent) return;
    const event = parseEvent(data);
    this.sawContent = this.format === 'chat' ? chatContent(event) : messagesContent(event);
  }
}

type StreamEvent = Record<string, unknown> & { type?: unknown };

function parseEvent(data: string): StreamEvent | undefined {
  try {
    const event: unknown = JSON.parse(data);
    return typeof event === 'object' && event !== null ? (event as StreamEvent) : undefined;
  } catch {
    return undefined;
  }
}

function chatContent(event: StreamEvent | undefined): boolean {
  const choices = event?.choices as Array<{ delta?: { content?: unknown } }> | undefined;
  const content = choices?.[0]?.delta?.content;
  return typeof content === 'string' && content.length > 0;
}

function messagesContent(event: StreamEvent | undefined): boolean {
  if (event?.type !== 'content_block_delta') return false;
  const text = (event.delta as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' && text.length > 0;
}

/**
 * Times one streaming request (the target's `streamBody`): headers, first byte, first content, end of
 * stream. A stream without content or without its normal end marker is an error.
 */
export async function timeStream(client: Client, target: Target): Promise<StreamTiming> {
  const started = performance.now();
  const response = await client.request({
    path: target.path,
    method: 'POST',
    headers: target.headers,
    body: target.streamBody,
  });
  const headersMs = performance.now() - started;
  if (response.statusCode !== 200)
    throw new UnexpectedStatus(target, response.statusCode, await response.body.text());
  const detector = new FirstContentDetector(target.format);
  let firstByteMs = Number.NaN;
  let firstContentMs = Number.NaN;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    const now = performance.now() - started;
    if (Number.isNaN(firstByteMs)) firstByteMs = now;
    const hasContent = detector.feed(chunk);
    if (hasContent && Number.isNaN(firstContentMs)) firstContentMs = now;
  }
  const totalMs = performance.now() - started;
  if (Number.isNaN(firstContentMs)) throw new Error(`${target.name}: the stream carried no content`);
  if (!detector.ended) throw new Error(`${target.name}: the stream ended without its end marker`);
  return { headersMs, firstByteMs, firstContentMs, totalMs };
}

export interface StreamingSetup {
  chunks: number;
  chunkDelayMs: number;
}

/** Sequential streams, in turn, straight to the upstream, through the baseline, through the relay. */
export async function measureStreaming(
  targets: readonly MainTarget[],
  bounds: LoopBounds,
  setup: StreamingSetup,
  progress: Progress,
): Promise<StreamingResult> {
  const { samples, complete } = await sampleSequentially('streaming', targets, bounds, timeStream, progress);
  const pick = (field: keyof StreamTiming) =>
    describeEach(new Map([...samples].map(([name, timings]) => [name, timings.map((t) => t[field])])));
  const firstContentMs = pick('firstContentMs');
  const firstByteMs = pick('firstByteMs');
  return {
    samplesPerTarget: firstContentMs.relay.samples,
    complete,
    ...setup,
    headersMs: pick('headersMs'),
    firstByteMs,
    firstContentMs,
    totalMs: pick('totalMs'),
    relayAddedFirstContentMs: added(firstContentMs.relay, firstContentMs.direct),
    relayAddedFirstByteMs: added(firstByteMs.relay, firstByteMs.direct),
    baselineAddedFirstContentMs: added(firstContentMs.baseline, firstContentMs.direct),
  };
}
