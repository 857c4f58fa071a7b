import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { LiveLogHub } from './live-log-hub';
import { streamLiveLog, type SseSink } from './live-log-stream';
import { logEntry } from './live-log-test-entries';

/** A response stand-in whose buffer fills after `capacity` writes until `drain()`. */
class FakeSink extends EventEmitter implements SseSink {
  readonly chunks: string[] = [];
  ended = false;
  buffered = 0;

  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {
    super();
  }

  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.buffered++;
    return this.buffered < this.capacity;
  }

  end(): void {
    this.ended = true;
  }

  drain(): void {
    this.buffered = 0;
    this.emit('drain');
  }

  get events(): string[] {
    return this.chunks.filter((c) => c.includes('\nevent: ')).map((c) => /\nevent: (\w+)/.exec(c)?.[1] ?? '');
  }
}

const finished = (n: number) => ({ type: 'finished' as const, entry: logEntry(`e${n}`) });

describe('streamLiveLog', () => {
  it('writes the retry frame, then the replay, then live events', () => {
    const hub = new LiveLogHub();
    const first = hub.publish(finished(1));
    hub.publish(finished(2));
    const sink = new FakeSink();
    const stop = streamLiveLog(hub, sink, { lastEventId: first, retryMs: 1500 });
    hub.publish({ type: 'cleared' });
    assert.equal(sink.chunks[0], 'retry: 1500\n\n');
    assert.deepEqual(sink.events, ['finished', 'cleared']);
    assert.match(sink.chunks[1], /"id":"e2"/);
    stop();
  });

  it('writes a reset carrying the current id when Last-Event-ID is stale', () => {
    const hub = new LiveLogHub();
    hub.publish(finished(1));
    const sink = new FakeSink();
    const stop = streamLiveLog(hub, sink, { lastEventId: 'from-another-life' });
    assert.deepEqual(sink.events, ['reset']);
    assert.ok(sink.chunks[1].startsWith(`id: ${hub.lastEventId}\n`));
    stop();
  });

  it('pauses while the sink is backed up and resumes on drain', () => {
    const hub = new LiveLogHub();
    const sink = new FakeSink(2);
    const stop = streamLiveLog(hub, sink);
    for (let n = 1; n <= 4; n++) hub.publish(finished(n));
    assert.deepEqual(sink.events, ['finished'], 'retry frame + one event filled the buffer');
    sink.drain();
    assert.equal(sink.events.length, 3, 'two more fit before the buffer filled again');
    sink.drain();
    assert.equal(sink.events.length, 4);
    stop();
  });

  it('ends the response when the hub drops the subscriber', () => {
    const hub = new LiveLogHub({ bufferSize: 3 });
    const sink = new FakeSink(1);
    streamLiveLog(hub, sink);
    for (let n = 1; n <= 5; n++) hub.publish(finished(n));
    assert.equal(sink.ended, true);
    assert.equal(hub.stats().subscribers, 0);
    assert.equal(sink.listenerCount('drain'), 0);
  });

  it('unsubscribes when the client goes away', () => {
    const hub = new LiveLogHub();
    const sink = new FakeSink();
    streamLiveLog(hub, sink);
    assert.equal(hub.stats().subscribers, 1);
    sink.emit('close');
    assert.equal(hub.stats().subscribers, 0);
    assert.equal(sink.listenerCount('close'), 0);
    assert.equal(sink.ended, false, 'the response belongs to its owner');
  });

  it('sends heartbeats until stopped', async () => {
    const hub = new LiveLogHub();
    const sink = new FakeSink();
    const stop = streamLiveLog(hub, sink, { heartbeatMs: 5 });
    const heartbeats = (): number => sink.chunks.filter((c) => c === ': heartbeat\n\n').length;
    const deadline = Date.now() + 2000;
    while (heartbeats() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    stop();
    const beats = heartbeats();
    assert.ok(beats >= 2, `${beats} heartbeats`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(heartbeats(), beats);
  });

  it('applies the filter', () => {
    const hub = new LiveLogHub();
    const sink = new FakeSink();
    const stop = streamLiveLog(hub, sink, { filter: (e) => e.type === 'cleared' });
    hub.publish(finished(1));
    hub.publish({ type: 'cleared' });
    assert.deepEqual(sink.events, ['cleared']);
    stop();
  });
});
