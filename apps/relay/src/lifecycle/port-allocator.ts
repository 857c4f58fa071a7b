import { createServer } from 'node:net';

/** Ports at or above this are never handed out (Relay's guard). */
export const PORT_GUARD = 65530;

/** Whether nothing listens on host:port right now (by binding it for a moment). */
export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The first port from `base` that no managed model holds (`reserved`) and nothing else listens on.
 * Throws when the range up to {@link PORT_GUARD} is exhausted.
 */
export async function allocatePort(
  base: number,
  host: string,
  reserved: ReadonlySet<number>,
): Promise<number> {
  for (let port = base; port < PORT_GUARD; port++) {
    if (reserved.has(port)) continue;
    if (await portIsFree(port, host)) return port;
  }
  throw new Error(`no free port between ${base} and ${PORT_GUARD}`);
}
