import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Where `npm run build` puts the console: `dist/console/browser` beside `dist/apps` (this file is in `dist/apps/relay/src`). */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '../../../console/browser');

/** Paths that belong to the API: never answered with the console's page. */
const API_PREFIXES = ['/api', '/v1', '/docs', '/healthz', '/readyz'];

export const CONSOLE_NOT_BUILT =
  'MonoRelay: the admin console is not built.\n\n' +
  'Build it with `npm run build` (or `npm start`, which builds and starts the relay), then reload this page.\n' +
  'The API works without it: /v1 for clients, /api for the admin API, /docs for its documentation.\n';

/**
 * Serves the built Angular console at `/` on the relay's own port. Every file of the build gets its
 * own static route (`wildcard: false`), and one catch-all GET route answers the console's page for
 * any other path outside the API (SPA fallback). No hook is added: the /v1 routes are matched by the
 * router before the catch-all and pay nothing for this. Without a build, `/` says how to make one.
 */
export async function registerConsole(fastify: FastifyInstance, dir = DEFAULT_CONSOLE_DIR): Promise<boolean> {
  const indexPath = join(dir, 'index.html');
  const built = existsSync(indexPath);
  if (built) {
    await fastify.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      decorateReply: false,
      // Build files carry a content hash in their names; index.html must be asked for every time.
      setHeaders: (reply, path) => {
        if (path.endsWith('.html')) pageHeaders(reply);
        else reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  } else {
    fastify.get('/', (_request, reply) => notBuilt(reply));
  }
  fastify.get('/*', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0]!;
    if (API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
      return reply.callNotFound();
    }
    if (!built) return notBuilt(reply);
    // Read per request (1 KB): a rebuild while the relay runs changes the chunk names it lists.
    const page = await readFile(indexPath).catch(() => null);
    if (!page) return notBuilt(reply);
    return pageHeaders(reply).type('text/html; charset=utf-8').send(page);
  });
  return built;
}

/** The console's page: asked for every time, never framed by another site (clickjacking), no sniffing. */
function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-cache')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "frame-ancestors 'none'")
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');
}

function notBuilt(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').type('text/plain; charset=utf-8').send(CONSOLE_NOT_BUILT);
}
