import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelayKeyCache } from './relay-key-cache';

interface Key {
  id: string;
  userId: string;
  version: number;
}

function setup(
  rows: Map<string, Key>,
  options: { ttlMs?: number; maxUnknown?: number; maxKeys?: number } = {},
) {
  let now = 1_000;
  const cache = new RelayKeyCache<Key>(async (hash) => rows.get(hash) ?? null, {
    ...options,
    now: () => now,
  });
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('RelayKeyCache', () => {
  it('loads a miss once (concurrent misses share it), then answers from memory synchronously', async () => {
    const rows = new Map([['h1', { id: 'k1', userId: 'u1', version: 1 }]]);
    const { cache } = setup(rows);
    const first = cache.get('h1');
    const second = cache.get('h1');
    assert.ok(first instanceof Promise);
    assert.equal(first, second);
    assert.equal((await first)?.id, 'k1');
    const hit = cache.get('h1');
    assert.ok(!(hit instanceof Promise));
    assert.equal(hit?.id, 'k1');
    assert.equal(cache.loads, 1);
  });

  it('asks the database again after the TTL (changes from other replicas arrive)', async () => {
    const rows = new Map([['h1', { id: 'k1', userId: 'u1', version: 1 }]]);
    const { cache, advance } = setup(rows, { ttlMs: 30_000 });
    await cache.get('h1');
    rows.set('h1', { id: 'k1', userId: 'u1', version: 2 });
    advance(29_999);
    assert.equal((cache.get('h1') as Key).version, 1);
    advance(1);
    assert.equal((await cache.get('h1'))?.version, 2);
    assert.equal(cache.loads, 2);
  });

  it('forgets a key, a user or a hash at once', async () => {
    const rows = new Map([
      ['h1', { id: 'k1', userId: 'u1', version: 1 }],
      ['h2', { id: 'k2', userId: 'u1', version: 1 }],
      ['h3', { id: 'k3', userId: 'u2', version: 1 }],
    ]);
    const { cache } = setup(rows);
    for (const hash of rows.keys()) await cache.get(hash);
    cache.forgetKey('k1');
    assert.ok(cache.get('h1') instanceof Promise);
    await cache.get('h1');
    cache.forgetUser('u1');
    assert.ok(cache.get('h1') instanceof Promise);
    assert.ok(cache.get('h2') instanceof Promise);
    assert.ok(!(cache.get('h3') instanceof Promise));
    assert.equal(await cache.get('missing'), null);
    assert.equal(cache.get('missing'), null, 'remembered as unknown');
    rows.set('missing', { id: 'k9', userId: 'u9', version: 1 });
    cache.forgetHash('missing');
    assert.equal((await cache.get('missing'))?.id, 'k9');
  });

  it('does not keep a load that raced with a change (it may have read the old row)', async () => {
    const rows = new Map([['h1', { id: 'k1', userId: 'u1', version: 1 }]]);
    const { cache } = setup(rows);
    const loading = cache.get('h1');
    cache.forgetKey('k1');
    await loading;
    assert.ok(cache.get('h1') instanceof Promise, 'loaded again');
  });

  it('remembers unknown hashes within a bound: spraying keys cannot grow memory', async () => {
    const { cache } = setup(new Map(), { maxUnknown: 100 });
    for (let i = 0; i < 1000; i++) assert.equal(await cache.get(`spray-${i}`), null);
    assert.equal(cache.size.unknown, 100);
    assert.equal(cache.get('spray-999'), null, 'the newest are remembered');
    assert.ok(cache.get('spray-0') instanceof Promise, 'the oldest were dropped');
  });

  it('bounds known keys too', async () => {
    const rows = new Map(
      Array.from({ length: 50 }, (_, i) => [`h${i}`, { id: `k${i}`, userId: 'u', version: 1 }]),
    );
    const { cache } = setup(rows, { maxKeys: 10 });
    for (const hash of rows.keys()) await cache.get(hash);
    assert.equal(cache.size.known, 10);
  });

  it('a failing load is not cached', async () => {
    let fail = true;
    const cache = new RelayKeyCache<Key>(async () => {
      if (fail) throw new Error('database down');
      return { id: 'k', userId: 'u', version: 1 };
    });
    await assert.rejects(cache.get('h') as Promise<Key>, /database down/);
    fail = false;
    assert.equal((await cache.get('h'))?.id, 'k');
  });
});
