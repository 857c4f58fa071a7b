import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveLogEvent } from '@monorelay/contracts';
import {
  LiveLogHub,
  type LiveLogDelivery,
  type LiveLogDropReason,
  type LiveLogSubscribeOptions,
} from './live-log-hub';
import { logEntry } from './live-log-test-entries';

const STARTED_AT = 1_750_000_000_000;

const finished = (n: number, userId: string | null = null): LiveLogEvent => ({
  type: 'finished',
  entry: logEntry(`e${n}`, userId),
});

/** The entry ids (or `cleared`) of what a subscriber received. */
const labels = (deliveries: readonly LiveLogDelivery[]): string[] =>
  deliveries.map(({ event }) => (event.type === 'cleared' ? 'cleared' : event.entry.id));

interface Recorder {
  deliveries: LiveLogDelivery[];
  drops: LiveLogDropReason[];
  /** Return value for the handler: false pauses. */
  accept: boolean;
}

function record(hub: LiveLogHub, options: Omit<LiveLogSubscribeOptions, 'onDropped'> = {}) {
  const recorder: Recorder = { deliveries: [], drops: [], accept: true };
  const subscription = hub.subscribe(
    (delivery) => {
      recorder.deliveries.push(delivery);
      return recorder.accept;
    },
    { ...options, onDropped: (reason) => recorder.drops.push(reason) },
  );
  return { recorder, subscription };
}

function publishRange(hub: LiveLogHub, from: number, to: number, userId: string | null = null): string[] {
  const ids: string[] = [];
  for (let n = from; n <= to; n++) ids.push(hub.publish(finished(n, userId)));
  return ids;
}

describe('LiveLogHub: delivery', () => {
  it('delivers events to every subscriber in publication order, with increasing ids', () => {
    const hub = new LiveLogHub({ startedAt: STARTED_AT });
    const a = record(hub);
    const b = record(hub);
    const ids = publishRange(hub, 1, 3);
    hub.publish({ type: 'cleared' });
    for (const { recorder } of [a, b]) {
      assert.deepEqual(labels(recorder.deliveries), ['e1', 'e2', 'e3', 'cleared']);
      assert.deepEqual(
        recorder.deliveries.slice(0, 3).map((d) => d.id),
        ids,
      );
    }
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, 3);
    assert.equal(hub.lastEventId, a.recorder.deliveries[3].id);
  });

  it('idBefore(id): resuming there replays that event; null once it left the buffer or when foreign', () => {
    const hub = new LiveLogHub({ bufferSize: 5 });
    const ids = publishRange(hub, 1, 3);
    const before2 = hub.idBefore(ids[1]!);
    assert.equal(before2, ids[0]);
    const { recorder } = record(hub, { lastEventId: before2 });
    assert.deepEqual(labels(recorder.deliveries), ['e2', 'e3']);
    assert.equal(hub.idBefore('someone-else-0000000001'), null);
    publishRange(hub, 4, 12);
    assert.equal(hub.idBefore(ids[1]!), null, 'too old to replay');
  });

  it('keeps ids sortable over many events', () => {
    const hub = new LiveLogHub({ bufferSize: 10 });
    const ids = publishRange(hub, 1, 5000);
    assert.deepEqual([...ids].sort(), ids);
  });

  it('replays nothing to a subscriber without lastEventId', () => {
    const hub = new LiveLogHub();
    publishRange(hub, 1, 3);
    const { recorder, subscription } = record(hub);
    assert.equal(subscription.replayed, 0);
    assert.equal(subscription.reset, false);
    hub.publish(finished(4));
    assert.deepEqual(labels(recorder.deliveries), ['e4']);
  });

  it('delivers an event published by a handler after the current one, once', () => {
    const hub = new LiveLogHub();
    const seen: string[] = [];
    hub.subscribe(({ event }) => {
      if (event.type === 'finished' && event.entry.id === 'e1') hub.publish(finished(2));
      seen.push(event.type === 'finished' ? event.entry.id : event.type);
    });
    const other = record(hub);
    hub.publish(finished(1));
    assert.deepEqual(seen, ['e1', 'e2']);
    assert.deepEqual(labels(other.recorder.deliveries), ['e1', 'e2']);
  });

  it('does not deliver twice to a subscriber added by a handler during a publish', () => {
    const hub = new LiveLogHub();
    const firstId = hub.publish(finished(1));
    let late: ReturnType<typeof record> | null = null;
    hub.subscribe(({ event }) => {
      // Its replay already holds e2, the event being published: the ongoing publish must skip it.
      if (event.type === 'finished' && event.entry.id === 'e2')
        late ??= record(hub, { lastEventId: firstId });
    });
    hub.publish(finished(2));
    hub.publish(finished(3));
    assert.ok(late);
    assert.deepEqual(labels((late as ReturnType<typeof record>).recorder.deliveries), ['e2', 'e3']);
  });
});

describe('LiveLogHub: replay after lastEventId', () => {
  it('replays every buffered event after lastEventId, then continues live', () => {
    const hub = new LiveLogHub();
    const ids = publishRange(hub, 1, 5);
    const { recorder, subscription } = record(hub, { lastEventId: ids[1] });
    assert.equal(subscription.reset, false);
    assert.equal(subscription.replayed, 3);
    assert.deepEqual(labels(recorder.deliveries), ['e3', 'e4', 'e5']);
    hub.publish(finished(6));
    assert.deepEqual(labels(recorder.deliveries), ['e3', 'e4', 'e5', 'e6']);
  });

  it('replays nothing when the client is up to date', () => {
    const hub = new LiveLogHub();
    const ids = publishRange(hub, 1, 3);
    const { recorder, subscription } = record(hub, { lastEventId: ids[2] });
    assert.equal(subscription.reset, false);
    assert.equal(recorder.deliveries.length, 0);
  });

  it('lets a client that took lastEventId with a snapshot miss nothing', () => {
    const hub = new LiveLogHub();
    const snapshotId = hub.lastEventId;
    publishRange(hub, 1, 2);
    const { recorder, subscription } = record(hub, { lastEventId: snapshotId });
    assert.equal(subscription.reset, false);
    assert.deepEqual(labels(recorder.deliveries), ['e1', 'e2']);
  });

  it('asks for a reset for an id from an earlier process, and replays nothing', () => {
    const previous = new LiveLogHub({ startedAt: STARTED_AT });
    const staleId = publishRange(previous, 1, 3)[0];
    const hub = new LiveLogHub({ startedAt: STARTED_AT + 60_000 });
    publishRange(hub, 1, 3);
    const { recorder, subscription } = record(hub, { lastEventId: staleId });
    assert.equal(subscription.reset, true);
    assert.equal(subscription.replayed, 0);
    hub.publish(finished(4));
    assert.deepEqual(labels(recorder.deliveries), ['e4'], 'live events still flow after a reset');
  });

  it('asks for a reset for malformed ids and ids from the future', () => {
    const hub = new LiveLogHub({ startedAt: STARTED_AT });
    publishRange(hub, 1, 2);
    const future = hub.lastEventId.replace(/.$/, 'z');
    for (const lastEventId of ['garbage', '0', future]) {
      assert.equal(record(hub, { lastEventId }).subscription.reset, true, lastEventId);
    }
  });

  it('asks for a reset when the events after lastEventId are no longer buffered', () => {
    const hub = new LiveLogHub({ bufferSize: 5 });
    const ids = publishRange(hub, 1, 10);
    assert.equal(record(hub, { lastEventId: ids[3] }).subscription.reset, true, 'e5 was overwritten');
    const edge = record(hub, { lastEventId: ids[4] });
    assert.equal(edge.subscription.reset, false, 'e6..e10 are all still buffered');
    assert.deepEqual(labels(edge.recorder.deliveries), ['e6', 'e7', 'e8', 'e9', 'e10']);
  });

  it('treats an empty lastEventId as none', () => {
    const hub = new LiveLogHub();
    publishRange(hub, 1, 2);
    assert.equal(record(hub, { lastEventId: '' }).subscription.reset, false);
  });
});

describe('LiveLogHub: filter', () => {
  const mine = (event: LiveLogEvent): boolean => event.type === 'cleared' || event.entry.userId === 'alice';

  it("delivers only one user's entries (and clears), live and in the replay", () => {
    const hub = new LiveLogHub();
    const first = hub.publish(finished(1, 'alice'));
    hub.publish(finished(2, 'bob'));
    hub.publish(finished(3, 'alice'));
    const { recorder, subscription } = record(hub, { lastEventId: first, filter: mine });
    assert.equal(subscription.replayed, 1);
    hub.publish(finished(4, 'bob'));
    hub.publish({ type: 'cleared' });
    hub.publish(finished(5, 'alice'));
    assert.deepEqual(labels(recorder.deliveries), ['e3', 'cleared', 'e5']);
  });

  it('drops a subscriber whose filter throws, without disturbing others', () => {
    const hub = new LiveLogHub();
    const broken = record(hub, {
      filter: () => {
        throw new Error('bad filter');
      },
    });
    const healthy = record(hub);
    hub.publish(finished(1));
    assert.deepEqual(broken.recorder.drops, ['handler_error']);
    assert.deepEqual(labels(healthy.recorder.deliveries), ['e1']);
  });
});

describe('LiveLogHub: slow subscribers', () => {
  it('pauses a subscriber whose handler returns false and resumes where it stopped', () => {
    const hub = new LiveLogHub({ maxLag: 10 });
    const slow = record(hub);
    const fast = record(hub);
    slow.recorder.accept = false;
    publishRange(hub, 1, 5);
    assert.deepEqual(
      labels(slow.recorder.deliveries),
      ['e1'],
      'paused after the first write reported a full buffer',
    );
    assert.deepEqual(
      labels(fast.recorder.deliveries),
      ['e1', 'e2', 'e3', 'e4', 'e5'],
      'others are not held up',
    );
    slow.recorder.accept = true;
    slow.subscription.resume();
    assert.deepEqual(labels(slow.recorder.deliveries), ['e1', 'e2', 'e3', 'e4', 'e5']);
    hub.publish(finished(6));
    assert.equal(slow.recorder.deliveries.length, 6);
    assert.deepEqual(slow.recorder.drops, []);
  });

  it('drops a subscriber that falls more than maxLag events behind, with a reason', () => {
    const hub = new LiveLogHub({ bufferSize: 100, maxLag: 10 });
    const slow = record(hub);
    const fast = record(hub);
    slow.recorder.accept = false;
    publishRange(hub, 1, 11);
    assert.deepEqual(slow.recorder.drops, [], '10 behind is still allowed');
    hub.publish(finished(12));
    assert.deepEqual(slow.recorder.drops, ['lagging']);
    assert.equal(hub.stats().subscribers, 1);
    assert.equal(hub.stats().droppedSubscribers.lagging, 1);
    slow.subscription.resume();
    assert.equal(slow.recorder.deliveries.length, 1, 'a dropped subscriber gets nothing more');
    assert.equal(fast.recorder.deliveries.length, 12);
  });

  it('gives a dropped subscriber that reconnects a reset rather than a replay it cannot keep up with', () => {
    const hub = new LiveLogHub({ bufferSize: 100, maxLag: 3 });
    const slow = record(hub);
    slow.recorder.accept = false;
    publishRange(hub, 1, 5);
    assert.deepEqual(slow.recorder.drops, ['lagging']);
    const again = record(hub, { lastEventId: slow.recorder.deliveries[0].id });
    assert.equal(again.subscription.reset, true);
    assert.equal(again.subscription.replayed, 0);
  });

  it('drops a subscriber whose handler throws, without disturbing others', () => {
    const hub = new LiveLogHub();
    const drops: LiveLogDropReason[] = [];
    hub.subscribe(
      () => {
        throw new Error('socket gone');
      },
      { onDropped: (reason) => drops.push(reason) },
    );
    const healthy = record(hub);
    assert.doesNotThrow(() => publishRange(hub, 1, 2));
    assert.deepEqual(drops, ['handler_error']);
    assert.equal(healthy.recorder.deliveries.length, 2);
  });

  it('keeps memory bounded: the buffer stays at its size and stuck subscribers are shed', () => {
    const hub = new LiveLogHub({ bufferSize: 50 });
    const stuck = Array.from({ length: 20 }, () => record(hub));
    for (const { recorder } of stuck) recorder.accept = false;
    const fine = record(hub);
    publishRange(hub, 1, 10_000);
    const stats = hub.stats();
    assert.equal(stats.buffered, 50);
    assert.equal(stats.published, 10_000);
    assert.equal(stats.subscribers, 1);
    assert.equal(stats.droppedSubscribers.lagging, 20);
    for (const { recorder } of stuck) assert.equal(recorder.deliveries.length, 1);
    assert.equal(fine.recorder.deliveries.length, 10_000);
  });

  it('caps maxLag at the buffer size', () => {
    const hub = new LiveLogHub({ bufferSize: 5, maxLag: 1000 });
    const slow = record(hub);
    slow.recorder.accept = false;
    publishRange(hub, 1, 6);
    assert.deepEqual(slow.recorder.drops, [], 'e2..e6: 5 behind');
    hub.publish(finished(7));
    assert.deepEqual(slow.recorder.drops, ['lagging']);
  });

  it('pauses during the replay too, and resumes it in order', () => {
    const hub = new LiveLogHub();
    const first = publishRange(hub, 1, 4)[0];
    const recorder: Recorder = { deliveries: [], drops: [], accept: false };
    const subscription = hub.subscribe(
      (delivery) => {
        recorder.deliveries.push(delivery);
        return recorder.accept;
      },
      { lastEventId: first },
    );
    assert.equal(subscription.replayed, 1);
    hub.publish(finished(5));
    assert.deepEqual(labels(recorder.deliveries), ['e2']);
    recorder.accept = true;
    subscription.resume();
    hub.publish(finished(6));
    assert.deepEqual(labels(recorder.deliveries), ['e2', 'e3', 'e4', 'e5', 'e6']);
  });
});

describe('LiveLogHub: unsubscribe and close', () => {
  it('stops delivering after unsubscribe; unsubscribing twice is harmless', () => {
    const hub = new LiveLogHub();
    const { recorder, subscription } = record(hub);
    hub.publish(finished(1));
    subscription.unsubscribe();
    subscription.unsubscribe();
    hub.publish(finished(2));
    assert.deepEqual(labels(recorder.deliveries), ['e1']);
    assert.deepEqual(recorder.drops, [], 'unsubscribe is not a drop');
    assert.equal(hub.stats().subscribers, 0);
  });

  it('lets a handler unsubscribe itself while others still get the event', () => {
    const hub = new LiveLogHub();
    const seen: string[] = [];
    const subscription = hub.subscribe(({ event }) => {
      seen.push(event.type);
      subscription.unsubscribe();
    });
    const other = record(hub);
    publishRange(hub, 1, 2);
    assert.deepEqual(seen, ['finished']);
    assert.deepEqual(labels(other.recorder.deliveries), ['e1', 'e2']);
  });

  it('close() drops every subscriber with hub_closed', () => {
    const hub = new LiveLogHub();
    const a = record(hub);
    const b = record(hub);
    hub.close();
    hub.publish(finished(1));
    assert.deepEqual(a.recorder.drops, ['hub_closed']);
    assert.deepEqual(b.recorder.drops, ['hub_closed']);
    assert.equal(a.recorder.deliveries.length + b.recorder.deliveries.length, 0);
    assert.equal(hub.stats().droppedSubscribers.hub_closed, 2);
  });
});
