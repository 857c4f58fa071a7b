import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogRing } from './log-ring';

describe('LogRing', () => {
  it('keeps the newest output within its byte capacity', () => {
    const ring = new LogRing(1024);
    for (let index = 0; index < 200; index++) ring.push(`line ${index}\n`);
    assert.ok(ring.size <= 1024);
    assert.ok(ring.droppedBytes > 0);
    assert.deepEqual(ring.lines(2), ['line 198', 'line 199']);
  });

  it('joins chunks split mid-line and cuts one huge chunk to the capacity', () => {
    const ring = new LogRing(1024);
    ring.push('hel');
    ring.push(Buffer.from('lo\nwor'));
    ring.push('ld\n');
    assert.deepEqual(ring.lines(10), ['hello', 'world']);
    ring.push('x'.repeat(5000));
    assert.ok(ring.size <= 1024);
  });

  it('marks its own notes', () => {
    const ring = new LogRing(1024);
    ring.note('starting on port 8081');
    assert.match(ring.lines(1)[0], /^\[monorelay\] \S+ starting on port 8081$/);
  });
});
