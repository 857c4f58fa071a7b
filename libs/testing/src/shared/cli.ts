// What the fake upstreams' command-line entries share: flags, the start-up line, a clean exit on signals.
import { parseArgs } from 'node:util';
import type { DeliveryOptions, FakeUpstreamOptions } from './types';

function nonNegativeInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new Error(`--${flag} must be a non-negative integer, got "${value}"`);
  return number;
}

/**
 * `[--port N] [--host H] [--latency-ms N] [--chunks N] [--chunk-delay-ms N] [--key K]... [--model M]...`
 * as options of a fake that does not record requests (a long benchmark must not keep every request).
 */
export function parseUpstreamFlags(
  args: string[] = process.argv.slice(2),
): FakeUpstreamOptions<DeliveryOptions> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'latency-ms': { type: 'string' },
      chunks: { type: 'string' },
      'chunk-delay-ms': { type: 'string' },
      key: { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
    },
  });
  return {
    port: nonNegativeInteger('port', values.port),
    host: values.host,
    keys: values.key,
    models: values.model,
    defaultReply: {
      delayMs: nonNegativeInteger('latency-ms', values['latency-ms']),
      chunks: nonNegativeInteger('chunks', values.chunks),
      chunkDelayMs: nonNegativeInteger('chunk-delay-ms', values['chunk-delay-ms']),
    },
    recordRequests: false,
  };
}

/** Starts the fake, prints `{"url","port"}` as one JSON line, and closes it on SIGTERM/SIGINT. */
export function runUpstreamCli(
  start: (options: FakeUpstreamOptions<DeliveryOptions>) => Promise<{
    baseUrl: string;
    port: number;
    close(): Promise<void>;
  }>,
): void {
  const main = async () => {
    const upstream = await start(parseUpstreamFlags());
    process.stdout.write(`${JSON.stringify({ url: upstream.baseUrl, port: upstream.port })}\n`);
    const stop = () => {
      upstream.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
