import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSseParser, type SseEvent } from './sse-parser';
import { formatSseComment, formatSseEvent } from './sse-writer';

describe('createSseParser', () => {
  it('delivers events split across chunks, including split UTF-8 sequences', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    const bytes = Buffer.from('event: a\ndata: {"t":"héllo"}\n\ndata: [DONE]\r\n\r\n');
    const split = bytes.indexOf(0xc3) + 1; // inside the two-byte é
    parser.feed(bytes.subarray(0, split));
    parser.feed(bytes.subarray(split));
    assert.deepEqual(
      events.map((e) => [e.event, e.data]),
      [
        ['a', '{"t":"héllo"}'],
        [undefined, '[DONE]'],
      ],
    );
  });

  it('reports comments separately', () => {
    const comments: string[] = [];
    const parser = createSseParser(() => undefined, { onComment: (c) => comments.push(c) });
    parser.feed(': OPENROUTER PROCESSING\n\n');
    assert.deepEqual(comments, ['OPENROUTER PROCESSING']);
  });
});

describe('formatSseEvent', () => {
  it('frames data and optional event names', () => {
    assert.equal(formatSseEvent('{}'), 'data: {}\n\n');
    assert.equal(formatSseEvent('{}', 'error'), 'event: error\ndata: {}\n\n');
    assert.equal(formatSseEvent('a\nb'), 'data: a\ndata: b\n\n');
    assert.equal(formatSseComment('x\ny'), ': x y\n\n');
  });
});
