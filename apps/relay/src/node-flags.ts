/**
 * V8 flags the relay is started with (`npm start`, the Docker image, the benchmark). They keep
 * memory flat under load: by default V8 lets a busy heap grow to ~4x its live size before a full
 * collection and keeps large young-generation spaces, which took the process past 350 MB RSS at
 * 64 concurrent requests with a live heap of ~40 MB. These settings hold it under 200 MB at the
 * same throughput (measured with `npm run bench`). Heap settings must be given on the command line.
 */
export const RELAY_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'] as const;
