import { randomFillSync } from 'node:crypto';

/** Random bytes for this many ids are drawn at once: one `randomFillSync` per 256 log entries. */
const IDS_PER_DRAW = 256;
const RANDOM_BYTES_PER_ID = 10;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

const pool = Buffer.allocUnsafe(IDS_PER_DRAW * RANDOM_BYTES_PER_ID);
let poolOffset = pool.length;
let lastMs = -1;
/** The 12-bit `rand_a` field, used as a counter within one millisecond (RFC 9562, method 1). */
let sequence = 0;

/**
 * A UUIDv7 for a log entry made at `nowMs`: 48-bit timestamp, 12-bit counter, 62 random bits.
 * Ids made by this process increase strictly (the log's cursor relies on it), also when the clock
 * steps back or more than 4096 ids fall in one millisecond (the timestamp then runs ahead by a
 * millisecond or so). Replaces `uuid`'s v7, which draws random bytes from the system per id.
 */
export function newLogId(nowMs: number = Date.now()): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += RANDOM_BYTES_PER_ID;
  let ms = nowMs;
  if (ms > lastMs) {
    // start low in the counter's range, so that a burst in this millisecond has room to count up
    sequence = pool[at] & 0x3ff;
  } else {
    ms = lastMs;
    sequence += 1;
    if (sequence > 0xfff) {
      ms += 1;
      sequence = 0;
    }
  }
  lastMs = ms;
  const high = Math.floor(ms / 0x1000000);
  const low = ms % 0x1000000;
  return (
    HEX[(high >>> 16) & 0xff] +
    HEX[(high >>> 8) & 0xff] +
    HEX[high & 0xff] +
    HEX[(low >>> 16) & 0xff] +
    '-' +
    HEX[(low >>> 8) & 0xff] +
    HEX[low & 0xff] +
    '-' +
    HEX[0x70 | (sequence >>> 8)] +
    HEX[sequence & 0xff] +
    '-' +
    HEX[0x80 | (pool[at + 1] & 0x3f)] +
    HEX[pool[at + 2]] +
    '-' +
    HEX[pool[at + 3]] +
    HEX[pool[at + 4]] +
    HEX[pool[at + 5]] +
    HEX[pool[at + 6]] +
    HEX[pool[at + 7]] +
    HEX[pool[at + 8]]
  );
}
