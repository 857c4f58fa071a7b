/**
 * A model process's stdout/stderr, bounded in bytes: the oldest output is dropped first. Lines are
 * cut at the byte cap, so one endless line cannot hold the buffer.
 */
export class LogRing {
  private chunks: string[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(private readonly capacity: number) {}

  push(chunk: Buffer | string): void {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length === 0) return;
    if (Buffer.byteLength(text) > this.capacity) text = text.slice(-this.capacity);
    this.chunks.push(text);
    this.bytes += Buffer.byteLength(text);
    while (this.bytes > this.capacity && this.chunks.length > 0) {
      const oldest = this.chunks.shift()!;
      this.bytes -= Buffer.byteLength(oldest);
      this.dropped += Buffer.byteLength(oldest);
    }
  }

  /** A line of the relay's own (start, exit, stop), marked so it stands out among the model's. */
  note(message: string): void {
    this.push(`[monorelay] ${new Date().toISOString()} ${message}\n`);
  }

  /** The last `count` complete or partial lines, oldest first. */
  lines(count: number): string[] {
    const all = this.chunks.join('').split('\n');
    if (all.at(-1) === '') all.pop();
    return all.slice(-count);
  }

  get size(): number {
    return this.bytes;
  }

  /** Bytes dropped since the ring was created. */
  get droppedBytes(): number {
    return this.dropped;
  }
}
