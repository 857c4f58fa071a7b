/**
 * V8 flags the relay is started with (`npm start`, the Docker image, the benchmark). They keep
 * memory flat under load: by default V8 lets a busy heap grow to ~4x its live size before a full
 * collection and keeps large young-generation spaces. At 64 concurrent requests (autocannon, 10 s,
 * request logging on; 2026-12-07) the peak RSS was 534 MB without them and 268 MB with them, at the
 * same throughput; smaller spaces (semi-space 2-4 MB, growing 30 %) saved under 30 MB more and cost
 * throughput. Heap settings must be given on the command line.
 */
export const RELAY_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'] as const;
