import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const EXPOSED = 'x-request-id, x-monorelay-provider, x-monorelay-model, x-monorelay-attempts, retry-after';
const METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * CORS for browser clients, from `server.cors_origins` (read per request, so reloads apply).
 * Requests without an `Origin` header (every SDK and server-side client) skip it entirely: this is
 * on the relay's hot path, which is why it is a hook of its own rather than a general plugin.
 */
export function registerCors(fastify: FastifyInstance, allowedOrigins: () => readonly string[]): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    reply.header('vary', 'Origin');
    const allowed = allowedOrigins();
    if (!allowed.includes('*') && !allowed.includes(origin)) return done();
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('access-control-expose-headers', EXPOSED);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply
        .header('access-control-allow-methods', METHODS)
        .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? '*')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
      return;
    }
    done();
  });
}
