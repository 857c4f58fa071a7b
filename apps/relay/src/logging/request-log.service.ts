import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { RequestLogEntry } from '@monorelay/contracts';
import { cutPreview, requestPreviewText, responsePreviewText } from '@monorelay/llm-formats';
import { Subject, type Observable } from 'rxjs';
import { ConfigSource } from '../config/config-source';
import type { RelayConfig } from '../config/relay-config';
import { DatabaseRegistry } from '../database/database-registry';
import type { ExchangeRecord, FinishedExchange } from '../relay/exchange-record';
import type { BodyCapture } from './body-capture';
import { LiveLogHub } from './live/live-log-hub';
import { bodiesOf } from './log-bodies';
import type { LogRecord } from './log-record';
import { costFor } from './pricing/price-book';
import { RequestLogStore } from './store/request-log.store';
import { WriteBehindQueue, type WriteBehindQueueStats } from './write-behind-queue';

/** A finished entry waiting to be written, with its raw bodies (null once shed). */
interface QueuedLog {
  entry: RequestLogEntry;
  capture: BodyCapture | null;
  /** The live event that announced the entry finished. */
  eventId: string;
}

/**
 * Where every client request is reported. Nothing here blocks a request: `started`/`record`
 * fill in previews and cost, publish on the live hub, and hand the entry to a bounded write-behind
 * queue; the queue's batches turn raw bodies into redacted text and go to the store. In-flight
 * requests are tracked for the log list.
 */
@Injectable()
export class RequestLogService implements OnApplicationShutdown {
  readonly hub = new LiveLogHub();
  private readonly logger = new Logger('Request');
  private readonly finished = new Subject<RequestLogEntry>();
  private readonly running = new Map<string, ExchangeRecord>();
  private readonly queue: WriteBehindQueue<QueuedLog>;

  constructor(
    private readonly config: ConfigSource,
    private readonly store: RequestLogStore,
    registry: DatabaseRegistry,
  ) {
    const settings = () => config.current.log_store;
    this.queue = new WriteBehindQueue<QueuedLog>({
      write: (batch) => this.store.append(batch.map((queued) => this.toRecord(queued, this.config.current))),
      intervalMs: () => settings().flush_interval_ms,
      batchSize: () => settings().flush_batch_size,
      maxQueued: () => settings().queue_max_rows,
      shedAbove: () => settings().queue_shed_bodies_above,
      shed: (queued) => ({ ...queued, capture: null }),
      onError: (error) => this.logger.error(`request log write failed: ${String(error)}`),
    });
    // The last batch must be written before the databases close, whatever order Nest shuts down in.
    registry.beforeClose(() => this.queue.drain());
  }

  /** Every finished entry, as it is recorded. */
  get entries$(): Observable<RequestLogEntry> {
    return this.finished.asObservable();
  }

  /** Requests still running, newest first. */
  inFlight(): RequestLogEntry[] {
    return [...this.running.values()].map((record) => record.pending()).reverse();
  }

  /**
   * Where a client that reads the store now should resume the live stream: before the oldest
   * finished entry that is still waiting to be written (it is not in the store yet, so its event
   * must be replayed), else after the newest event. Take it before reading the store.
   */
  snapshotEventId(): string {
    const waiting = this.queue.oldest();
    return (waiting && this.hub.idBefore(waiting.eventId)) ?? this.hub.lastEventId;
  }

  queueStats(): WriteBehindQueueStats {
    return this.queue.stats();
  }

  started(record: ExchangeRecord): void {
    this.running.set(record.id, record);
    // The pending entry is only built for someone watching.
    if (this.hub.subscriberCount > 0) this.hub.publish({ type: 'started', entry: record.pending() });
  }

  record(finished: FinishedExchange): void {
    const { entry, previews, capture } = finished;
    this.running.delete(entry.id);
    const config = this.config.current;
    const length = config.logging.content_preview_length;
    entry.requestPreview = cutPreview(requestPreviewText(previews.dialect, previews.request), length);
    entry.responsePreview = cutPreview(
      previews.stream
        ? previews.stream.previewText
        : responsePreviewText(previews.responseDialect, previews.response),
      length,
    );
    entry.costUsd = this.costOf(entry, config);
    this.finished.next(entry);
    const eventId = this.hub.publish({ type: 'finished', entry });
    if (config.logging.enabled) this.queue.push({ entry, capture, eventId });
    if (entry.state === 'failed') {
      this.logger.warn(
        `${entry.requestId} ${entry.method} ${entry.path} ${entry.statusCode} ${entry.errorType}: ${entry.errorMessage} ` +
          `(model ${entry.requestedModel ?? '-'}, attempts ${entry.attempts.length})`,
      );
    }
  }

  /** Announces that the log was cleared (the live view empties itself). */
  cleared(): void {
    this.hub.publish({ type: 'cleared' });
  }

  /** After the HTTP server has closed: requests that finished while draining are in the queue. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.drain();
    this.finished.complete();
    this.hub.close();
  }

  private costOf(entry: RequestLogEntry, config: RelayConfig): number | null {
    const model = entry.servedModel ?? entry.requestedModel;
    if (!entry.provider || !model || (entry.inputTokens === 0 && entry.outputTokens === 0)) return null;
    return costFor(config, entry.provider, model, {
      inputTokens: entry.inputTokens,
      outputTokens: entry.outputTokens,
      cacheReadTokens: entry.cacheReadTokens,
      cacheWriteTokens: entry.cacheWriteTokens,
      reasoningTokens: entry.reasoningTokens,
    });
  }

  private toRecord(queued: QueuedLog, config: RelayConfig): LogRecord {
    return { entry: queued.entry, bodies: queued.capture ? bodiesOf(queued.capture, config) : null };
  }
}
