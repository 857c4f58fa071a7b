import type { RequestLogBodies } from '@monorelay/contracts';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { BodyEncoding } from './entities/request-log-body.entity';

/** `request_log_bodies` columns, in insert order. */
export const BODY_COLUMNS = [
  'log_id',
  'encoding',
  'truncated',
  'client_request',
  'upstream_request',
  'upstream_response',
  'client_response',
] as const;

/** A `request_log_bodies` row's values, in `BODY_COLUMNS` order. */
export type BodyRowValues = [
  string,
  BodyEncoding,
  0 | 1,
  Buffer | null,
  Buffer | null,
  Buffer | null,
  Buffer | null,
];

/**
 * gzip level 1: on LLM request/response JSON it compresses within a few per cent of level 6 at about
 * half the CPU on large bodies (measured: 20 KB body 200 µs vs 500 µs; 2 KB body ≈ 40 µs either way,
 * mostly fixed per-call cost).
 */
const GZIP_OPTIONS = { level: 1, strategy: constants.Z_DEFAULT_STRATEGY };

/**
 * Rows whose four bodies together are shorter than this are stored as they are: gzip's fixed cost
 * per call (~20 µs) is most of the log writer's CPU on short exchanges, and saves little there.
 */
export const COMPRESS_MIN_BYTES = 2048;

/** Longest stretch of compression before yielding to the event loop (relay requests go first). */
const SLICE_MS = 4;

export interface BodiesToStore {
  id: string;
  bodies: RequestLogBodies;
}

/** Encodes bodies (gzip when `compress`), yielding to the event loop every few ms of work. */
export async function encodeBodyRows(
  items: readonly BodiesToStore[],
  compress: boolean,
): Promise<BodyRowValues[]> {
  const rows: BodyRowValues[] = [];
  let sliceStart = performance.now();
  for (const { id, bodies } of items) {
    rows.push(encodeBodyRow(id, bodies, compress));
    if (compress && performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return rows;
}

export function encodeBodyRow(id: string, bodies: RequestLogBodies, compress: boolean): BodyRowValues {
  const gzip = compress && textLength(bodies) >= COMPRESS_MIN_BYTES;
  const encode = gzip ? gzipText : identityText;
  return [
    id,
    gzip ? 'gzip' : 'identity',
    bodies.truncated ? 1 : 0,
    encode(bodies.clientRequest),
    encode(bodies.upstreamRequest),
    encode(bodies.upstreamResponse),
    encode(bodies.clientResponse),
  ];
}

function textLength(bodies: RequestLogBodies): number {
  return (
    (bodies.clientRequest?.length ?? 0) +
    (bodies.upstreamRequest?.length ?? 0) +
    (bodies.upstreamResponse?.length ?? 0) +
    (bodies.clientResponse?.length ?? 0)
  );
}

/**
 * The compressed text in a buffer of its own. zlib writes into an output chunk (16 KB by default)
 * taken from Buffer's shared pool, and returns a view of it: each short result would keep a pool
 * (with the chunk and the inputs encoded next to it) alive until its batch is written and collected,
 * and the log thread's small heap collects late. With the copy and chunks sized to the output, the
 * relay's RSS after 2,400 streamed exchanges (sequential, four routes) was about 210 MB instead of
 * 255-265 MB, and 196 MB without compression.
 */
function gzipText(text: string | null): Buffer | null {
  if (text === null) return null;
  const compressed = gzipSync(text, { ...GZIP_OPTIONS, chunkSize: gzipChunkSize(text.length) });
  const owned = Buffer.allocUnsafeSlow(compressed.length);
  compressed.copy(owned);
  return owned;
}

/**
 * zlib's output chunk for a text: about what gzip makes of it (a third, for JSON), so that a short
 * body takes little of the pool; large bodies keep zlib's 16 KB (smaller chunks cost time there).
 */
export function gzipChunkSize(textLength: number): number {
  const expected = Math.ceil(textLength / 3);
  return Math.min(16 * 1024, Math.max(512, 2 ** Math.ceil(Math.log2(Math.max(expected, 1)))));
}

function identityText(text: string | null): Buffer | null {
  return text === null ? null : Buffer.from(text, 'utf8');
}

/** A selected `request_log_bodies` row back to the bodies as appended. */
export function decodeBodyRow(row: Record<(typeof BODY_COLUMNS)[number], unknown>): RequestLogBodies {
  const gzip = row.encoding === 'gzip';
  const decode = (value: unknown): string | null => {
    if (value === null || value === undefined) return null;
    const bytes = value as Uint8Array;
    return (
      gzip ? gunzipSync(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    ).toString('utf8');
  };
  return {
    clientRequest: decode(row.client_request),
    upstreamRequest: decode(row.upstream_request),
    upstreamResponse: decode(row.upstream_response),
    clientResponse: decode(row.client_response),
    truncated: row.truncated === true || row.truncated === 1,
  };
}
