import type { RequestLogBodies } from '@monorelay/contracts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BODY_COLUMNS, COMPRESS_MIN_BYTES, decodeBodyRow, encodeBodyRow, gzipChunkSize } from './body-codec';
import { seededRandom, words } from './testing/log-record-factory';

const ZLIB_DEFAULT_CHUNK = 16 * 1024;
const random = seededRandom(7);

function chatRequest(wordCount: number): string {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: words(wordCount, random) }],
  });
}

function roundTrip(bodies: RequestLogBodies, compress: boolean) {
  const values = encodeBodyRow('log-1', bodies, compress);
  const row = Object.fromEntries(BODY_COLUMNS.map((column, i) => [column, values[i]])) as Record<
    (typeof BODY_COLUMNS)[number],
    unknown
  >;
  return { values, decoded: decodeBodyRow(row) };
}

describe('gzipChunkSize', () => {
  it('is a power of two between 512 bytes and 16 KB, about a third of the text', () => {
    const cases: Array<[number, number]> = [
      [0, 512],
      [100, 512],
      [1640, 1024],
      [3300, 2048],
      [16_176, 8192],
      [200_000, ZLIB_DEFAULT_CHUNK],
    ];
    for (const [length, expected] of cases)
      assert.equal(gzipChunkSize(length), expected, `text of ${length}`);
  });
});

describe('encodeBodyRow / decodeBodyRow', () => {
  const bodies: RequestLogBodies = {
    clientRequest: chatRequest(400),
    upstreamRequest: null,
    upstreamResponse: JSON.stringify({
      choices: [{ message: { role: 'assistant', content: words(300, random) } }],
    }),
    clientResponse: null,
    truncated: false,
  };

  it('gzips a row at least COMPRESS_MIN_BYTES long, and decodes it to the same bodies', () => {
    assert.ok((bodies.clientRequest?.length ?? 0) >= COMPRESS_MIN_BYTES);
    const { values, decoded } = roundTrip(bodies, true);
    assert.equal(values[1], 'gzip');
    assert.deepEqual(decoded, bodies);
  });

  it('keeps a short body as it is', () => {
    const short: RequestLogBodies = { ...bodies, clientRequest: chatRequest(5), upstreamResponse: '{}' };
    const { values, decoded } = roundTrip(short, true);
    assert.equal(values[1], 'identity');
    assert.deepEqual(decoded, short);
  });

  it('keeps no more than its own bytes behind each compressed body', () => {
    // results may share a backing store (Buffer's pool): count each store once
    const stores = new Set<ArrayBufferLike>();
    let results = 0;
    for (let row = 0; row < 200; row++) {
      const { values } = roundTrip({ ...bodies, clientRequest: chatRequest(400 + row) }, true);
      for (const value of [values[3], values[5]]) {
        assert.ok(value instanceof Buffer && value.length < 2048, 'compressed well below 2 KB');
        stores.add(value.buffer);
        results++;
      }
    }
    const heldPerBody = [...stores].reduce((sum, store) => sum + store.byteLength, 0) / results;
    assert.ok(heldPerBody < 1024, `each compressed body holds ${heldPerBody.toFixed(0)} bytes of buffers`);
  });

  it('round-trips a body larger than the largest chunk', () => {
    const large: RequestLogBodies = { ...bodies, clientRequest: chatRequest(40_000) };
    assert.deepEqual(roundTrip(large, true).decoded, large);
  });
});
