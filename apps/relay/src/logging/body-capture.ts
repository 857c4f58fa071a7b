/** Pieces of one body, kept by reference (no copies) up to a byte limit. */
export class BodyParts {
  readonly parts: Array<Buffer | string> = [];
  bytes = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  push(part: Buffer | string): void {
    if (this.truncated || this.limit === 0) return;
    const size = typeof part === 'string' ? part.length : part.length;
    if (this.bytes + size > this.limit) {
      this.truncated = true;
      const room = this.limit - this.bytes;
      if (room > 0) this.parts.push(part.slice(0, room));
      this.bytes = this.limit;
      return;
    }
    this.parts.push(part);
    this.bytes += size;
  }

  /** Keeps only `part` (a later attempt's body replaces an earlier one's). */
  replace(part: Buffer | string): void {
    this.clear();
    this.push(part);
  }

  clear(): void {
    this.parts.length = 0;
    this.bytes = 0;
    this.truncated = false;
  }

  isEmpty(): boolean {
    return this.parts.length === 0;
  }
}

/**
 * The raw bodies of one exchange, held by reference while it runs: what the client sent, what
 * went upstream, what came back and what the client got. The log writer turns them into text
 * (redacted, capped, compressed) later, in its batch, never on the request path. A limit of 0
 * turns capture off.
 */
export class BodyCapture {
  readonly clientRequest: BodyParts;
  readonly upstreamRequest: BodyParts;
  readonly upstreamResponse: BodyParts;
  readonly clientResponse: BodyParts;
  /** The client got exactly the upstream's answer (native pass-through). */
  clientResponseIsUpstream = false;
  /** The upstream got exactly the client's request. */
  upstreamRequestIsClient = false;

  constructor(readonly limit: number) {
    this.clientRequest = new BodyParts(limit);
    this.upstreamRequest = new BodyParts(limit);
    this.upstreamResponse = new BodyParts(limit);
    this.clientResponse = new BodyParts(limit);
  }

  get enabled(): boolean {
    return this.limit > 0;
  }
}
