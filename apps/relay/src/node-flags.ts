/**
 * V8 flags the relay is started with (`npm start`, the Docker image, the benchmark). They keep
 * memory flat under load: by default V8 lets a busy heap grow to ~4x its live size before a full
 * collection and keeps large young-generation spaces. At 64 concurrent requests (autocannon, 10 s,
 * request logging on; 2026-12-07) the peak RSS was 534 MB without them and 268 MB with them, at the
 * same throughput; smaller spaces (semi-space 2-4 MB, growing 30 %) saved under 30 MB more and cost
 * throughput. Heap settings must be given on the command line.
 */
export const RELAY_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'] as const;

/**
 * glibc malloc settings for the relay's process (`npm start`, the Docker image, the benchmark), set
 * in its environment before it starts. Outside the V8 heaps, the HTTP parsers, SQLite and the worker
 * threads allocate with malloc; by default glibc raises its mmap and trim thresholds as blocks are
 * freed (up to 32 MB) and gives each thread its own arenas, so memory freed after a burst stays
 * in the process. Fixed 128 KB thresholds and two arenas hand it back. At 64 concurrent requests
 * (10 s twice, request logging on; 2026-12-08) the peak RSS was 265-297 MB without them (5 runs) and
 * 248-274 MB with them (5 runs); interleaved A/B runs, both relays up at once, measured 1.02-1.06x
 * the requests per second and 0.97-1.02x the CPU per request.
 */
export const RELAY_MALLOC_ENV = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
} as const;
