import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveLogEvent } from '@monorelay/contracts';
import { sseEventFrame, sseHeartbeatFrame, sseResetFrame, sseRetryFrame } from './sse-writer';
import { logEntry } from './live-log-test-entries';

/** Parses frames the way EventSource does (enough of it for these specs). */
function parseFrame(frame: string): { id?: string; event?: string; data: string[]; comments: string[] } {
  assert.ok(frame.endsWith('\n\n'), 'a frame ends with a blank line');
  const parsed: { id?: string; event?: string; data: string[]; comments: string[] } = {
    data: [],
    comments: [],
  };
  for (const line of frame.slice(0, -2).split('\n')) {
    if (line.startsWith(':')) parsed.comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) parsed.id = line.slice(4);
    else if (line.startsWith('event: ')) parsed.event = line.slice(7);
    else if (line.startsWith('data: ')) parsed.data.push(line.slice(6));
    else if (!line.startsWith('retry: ')) assert.fail(`unexpected line ${line}`);
  }
  return parsed;
}

describe('sseEventFrame', () => {
  it('carries the id, the event type and the event as one line of JSON', () => {
    const event: LiveLogEvent = { type: 'finished', entry: logEntry('e1', 'alice') };
    const frame = parseFrame(sseEventFrame('abc-1', event));
    assert.equal(frame.id, 'abc-1');
    assert.equal(frame.event, 'finished');
    assert.equal(frame.data.length, 1);
    assert.deepEqual(JSON.parse(frame.data[0]), event);
  });

  it('keeps line breaks inside previews from splitting the frame', () => {
    const entry = { ...logEntry('e2', 'bob'), requestPreview: 'line one\nline two\r\n\ndata: forged' };
    const frame = parseFrame(sseEventFrame('abc-2', { type: 'started', entry }));
    assert.equal(frame.data.length, 1);
    assert.equal(
      (JSON.parse(frame.data[0]) as { entry: { requestPreview: string } }).entry.requestPreview,
      entry.requestPreview,
    );
  });

  it('formats cleared events', () => {
    assert.equal(
      sseEventFrame('abc-3', { type: 'cleared' }),
      'id: abc-3\nevent: cleared\ndata: {"type":"cleared"}\n\n',
    );
  });
});

describe('control frames', () => {
  it('formats a heartbeat as a comment', () => {
    assert.deepEqual(parseFrame(sseHeartbeatFrame()), { data: [], comments: ['heartbeat'] });
  });

  it('formats the reconnect delay', () => {
    assert.equal(sseRetryFrame(3000), 'retry: 3000\n\n');
    assert.equal(sseRetryFrame(-5), 'retry: 0\n\n');
    assert.equal(sseRetryFrame(12.7), 'retry: 12\n\n');
  });

  it('formats a reset hint carrying the current id', () => {
    const frame = parseFrame(sseResetFrame('abc-9'));
    assert.equal(frame.id, 'abc-9');
    assert.equal(frame.event, 'reset');
    assert.deepEqual(JSON.parse(frame.data[0]), { reason: 'unknown_last_event_id' });
  });

  it('never lets an id break the frame', () => {
    assert.equal(parseFrame(sseResetFrame('a\nb')).id, 'ab');
  });
});
