// One request and its response: the dialect's headers, abort tracking, and server-side connection ends.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseDialect } from './dialect';
import type { RecordedRequest } from './types';

/** A frame written every `everyMs` while a stream waits. */
export interface KeepAlive {
  frame: string;
  everyMs: number;
}

export class Exchange<E> {
  readonly receivedAt = Date.now();
  private readonly abortController = new AbortController();
  private keepAliveTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly record: RecordedRequest | undefined,
    /** Sockets the fake ended on purpose (reset, cut, goDown, close): their close is not a client abort. */
    private readonly closedByServer: WeakSet<Socket>,
    readonly dialect: ResponseDialect<E>,
    /** Sent as the dialect's request-id header (and in Anthropic error bodies). */
    readonly requestId: string,
  ) {
    res.on('close', () => this.onClose());
  }

  /** Aborts when the connection closes, for whatever reason; pending waits end with it. */
  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  /**
   * Waits `ms`, writing the keep-alive frame every `everyMs` meanwhile if one is given; false when the
   * connection closed meanwhile (the caller should stop).
   */
  async pause(ms: number, keepAlive?: KeepAlive): Promise<boolean> {
    if (ms <= 0) return !this.signal.aborted;
    let remaining = ms;
    try {
      while (remaining > 0) {
        const step = keepAlive ? Math.min(keepAlive.everyMs, remaining) : remaining;
        await sleep(step, undefined, { signal: this.signal });
        remaining -= step;
        if (keepAlive && remaining > 0) this.res.write(keepAlive.frame);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the keep-alive frame every `everyMs` until the connection closes (a stream that stalls but pings). */
  keepAliveUntilClosed(keepAlive: KeepAlive): void {
    if (this.signal.aborted) return;
    this.keepAliveTimer = setInterval(() => this.res.write(keepAlive.frame), keepAlive.everyMs);
  }

  /** The dialect's headers for this response. */
  headers(contentType: string, success: boolean): OutgoingHttpHeaders {
    return this.dialect.headers(contentType, success, this.requestId, this.receivedAt);
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): void {
    if (this.record) this.record.status = status;
    this.res.writeHead(status, headers);
  }

  /** Closes the connection after what was written is flushed, leaving the HTTP response unfinished. */
  cut(): void {
    const socket = this.req.socket;
    this.closedByServer.add(socket);
    // writeHead only stores the headers; make sure they are on the wire before the connection ends.
    this.res.flushHeaders();
    socket.end();
  }

  /** Drops the connection with a TCP reset: the client sees ECONNRESET. */
  resetConnection(): void {
    const socket = this.req.socket;
    this.closedByServer.add(socket);
    socket.resetAndDestroy();
  }

  private onClose(): void {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    const record = this.record;
    if (record && !this.res.writableFinished && !this.closedByServer.has(this.req.socket)) {
      record.aborted = true;
      record.abortedAt = Date.now();
    }
    this.abortController.abort();
  }
}
