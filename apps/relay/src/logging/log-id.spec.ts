import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate, version } from 'uuid';
import { newLogId } from './log-id';

const msOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('newLogId', () => {
  it('makes valid version-7 UUIDs carrying the given time', () => {
    const now = Date.UTC(2026, 11, 7, 15, 0, 0, 123) + 10_000_000;
    const id = newLogId(now);
    assert.ok(validate(id), id);
    assert.equal(version(id), 7);
    assert.equal(msOf(id), now);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('strictly increases within a millisecond, past the counter, and when the clock steps back', () => {
    const start = Date.now() + 20_000_000;
    const ids = [newLogId(start)];
    for (let i = 0; i < 10_000; i++) ids.push(newLogId(start));
    ids.push(newLogId(start - 5_000));
    ids.push(newLogId(start + 50));
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1] < ids[i], `${ids[i - 1]} < ${ids[i]}`);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(msOf(ids.at(-3)!) <= start + 3, 'runs ahead by a few ms at most');
    assert.equal(msOf(ids.at(-1)!), start + 50);
  });

  it('differs in its random part across calls', () => {
    const tails = new Set(Array.from({ length: 2000 }, () => newLogId().slice(19)));
    assert.equal(tails.size, 2000);
  });
});
