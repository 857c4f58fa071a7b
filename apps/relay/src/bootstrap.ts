import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { ConfigService } from './config/config.service';
import { RelayAuthGuard } from './auth/relay-auth.guard';
import { CountTokensService } from './relay/count-tokens.service';
import { RelayExceptionFilter } from './relay/relay-exception.filter';
import { documentRelayRoutes } from './relay/relay-openapi';
import { registerRelayRoutes } from './relay/relay-routes';
import { RelayService } from './relay/relay.service';
import { ShutdownState } from './shutdown-state';
import { readBodyLimited } from './relay/request-body';
import type { RuntimeOptions } from './runtime-options';
import { registerCors } from './cors';
import { registerConsole } from './console-static';
import { createProcessLogger } from './process-logger';
import { trustedProxyMatcher } from './trusted-proxies';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Echo a client's sane `x-request-id`; otherwise make one. */
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export interface RelayAppOptions {
  /** Nest logger to use; defaults to the pino process logger. `false` silences logs (tests). */
  logger?: LoggerService | false;
}

/** Builds the relay application (not listening yet). Throws when the configuration is invalid. */
export async function createRelayApp(
  options: RuntimeOptions,
  appOptions: RelayAppOptions = {},
): Promise<NestFastifyApplication> {
  // Fastify needs the proxy policy before Nest has loaded the configuration: read it through this.
  const loaded: { config?: ConfigService } = {};
  const isTrustedProxy = trustedProxyMatcher(() => loaded.config?.current.relay.trusted_proxies ?? []);
  const adapter = new FastifyAdapter({
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: (address: string) => isTrustedProxy(address),
    forceCloseConnections: 'idle',
    // Requests arriving while we drain are refused by the hook below, in the client's error shape and logged.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 1000 },
  });
  const logger = appOptions.logger ?? createProcessLogger(options.env.LOG_LEVEL ?? 'info');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: logger === false ? false : logger,
    bodyParser: false,
    abortOnError: false,
  });
  const configService = app.get(ConfigService);
  loaded.config = configService;
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // Session cookies. No parsing hook: only /api reads cookies (on demand, `auth/auth-cookies.ts`),
  // so the /v1 path does not pay for it.
  await fastify.register(fastifyCookie, { hook: false });
  registerBodyParsers(fastify, configService);
  const shutdown = app.get(ShutdownState);
  const relay = app.get(RelayService);
  registerRelayRoutes(fastify, { auth: app.get(RelayAuthGuard), relay, tokens: app.get(CountTokensService) });
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (!shutdown.closing) return done();
    reply.header('connection', 'close');
    relay.refuseWhileClosing(request, reply);
  });
  // Also answers errors raised before a handler runs (body too large, unknown route).
  app.useGlobalFilters(new RelayExceptionFilter());
  registerCors(fastify, () => configService.current.server.cors_origins);
  setUpSwagger(app);
  await registerConsole(fastify, options.env.MONORELAY_CONSOLE_DIR || undefined);
  return app;
}

/**
 * Bodies are read as Buffers with the configured limits (hot-reloadable): the relay forwards the
 * client's bytes unchanged when nothing needs rewriting, so it keeps the raw body.
 */
function registerBodyParsers(fastify: FastifyInstance, config: ConfigService): void {
  fastify.removeAllContentTypeParsers();
  const parse = (limit: () => number) => (request: FastifyRequest, payload: IncomingMessage) =>
    readBodyLimited(request.raw, payload, limit()).then((body) => {
      if (request.url.startsWith('/v1/') || body.length === 0) return body;
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        throw Object.assign(new Error('The request body is not valid JSON.'), {
          statusCode: 400,
          code: 'invalid_json',
        });
      }
    });
  fastify.addContentTypeParser(
    'multipart/form-data',
    parse(() => config.current.relay.max_upload_bytes),
  );
  fastify.addContentTypeParser(
    '*',
    parse(() => config.current.relay.max_body_bytes),
  );
}

function setUpSwagger(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('MonoRelay')
      .setDescription(
        'Self-hosted LLM API relay: one OpenAI- and Anthropic-compatible endpoint in front of many providers. ' +
          '`/v1`: `Authorization: Bearer <access key or relay key>`. `/api`: the console’s `mr_access` session ' +
          'cookie, or `Authorization: Bearer <access token>` from `POST /api/auth/login`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth('mr_access')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'x-api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, documentRelayRoutes(document), { jsonDocumentUrl: 'docs-json' });
}
