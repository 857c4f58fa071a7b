/**
 * The benchmark's baseline: the least a relay can do. node:http in front of an undici pool that
 * forwards method, path, headers and body unchanged and pipes the answer back, with no parsing,
 * auth, routing or logging. The relay's throughput is reported as a ratio to this.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name))
      out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function startBaselineProxy(
  upstreamOrigin: string,
  port = 0,
): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new Pool(upstreamOrigin, { connections: 256, pipelining: 1 });
  const server = createServer((request, response) => {
    pool
      .request({
        path: request.url ?? '/',
        method: request.method as 'POST',
        headers: forwardable(request.headers),
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request,
      })
      .then(({ statusCode, headers, body }) => {
        response.writeHead(statusCode, forwardable(headers));
        body.pipe(response);
      })
      .catch((error: unknown) => {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://127.0.0.1:${boundPort}`,
        close: async () => {
          server.closeAllConnections();
          await new Promise<void>((done) => server.close(() => done()));
          await pool.close();
        },
      });
    });
  });
}

if (require.main === module) {
  const upstream = process.argv[process.argv.indexOf('--upstream') + 1];
  const portFlag = process.argv.indexOf('--port');
  void startBaselineProxy(upstream, portFlag > 0 ? Number(process.argv[portFlag + 1]) : 0).then(({ url }) => {
    console.log(JSON.stringify({ url }));
    process.on('SIGTERM', () => process.exit(0));
  });
}
