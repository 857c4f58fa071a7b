import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, type ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ConfigService } from '../config/config.service';
import { defaultRelayConfig } from '../config/config-defaults';
import type { RelayConfig } from '../config/relay-config';
import { ApiAuthGuard, isApiPath, originAllowed, routePaths } from './api-auth.guard';
import { ApiError } from './api-error';
import { RequireAccess } from './roles';
import type { SessionCheck, SessionsService } from './sessions.service';

function configWith(patch: { server?: Partial<RelayConfig['server']>; auth?: Partial<RelayConfig['auth']> }) {
  const base = defaultRelayConfig();
  return {
    ...base,
    server: { ...base.server, ...patch.server },
    auth: { ...base.auth, ...patch.auth },
  } as RelayConfig;
}

@Controller('api/x')
class Routes {
  @Get('admin')
  @RequireAccess('admin')
  admin(): void {}
  @Get()
  @RequireAccess('public')
  open(): void {}
  @Get(':id')
  undeclared(): void {}
}

@Controller('v1')
class OtherRoutes {
  @Get(['chat/completions', 'completions'])
  undeclared(): void {}
}

function contextFor(
  handler: keyof Routes,
  request: Partial<FastifyRequest>,
  controller: typeof Routes | typeof OtherRoutes = Routes,
): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => controller.prototype[handler as 'undeclared'],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

function guard(
  config: RelayConfig,
  check: SessionCheck = { ok: false, code: 'invalid_token', message: 'no' },
) {
  const configService = { current: config, accessKey: 'the-key' } as unknown as ConfigService;
  const sessions = { authenticate: async () => check } as unknown as SessionsService;
  return new ApiAuthGuard(new Reflector(), configService, sessions);
}

function request(url: string, headers: Record<string, string> = {}, method = 'GET'): Partial<FastifyRequest> {
  return {
    url,
    method,
    headers,
    routeOptions: { url } as FastifyRequest['routeOptions'],
    protocol: 'http',
    host: 'relay:8787',
  };
}

async function status(run: () => boolean | Promise<boolean>): Promise<number | boolean> {
  try {
    return await run();
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return error.getStatus();
  }
}

describe('ApiAuthGuard', () => {
  const config = configWith({});

  it('leaves other paths alone', async () => {
    const v1 = contextFor('undeclared', request('/v1/chat/completions'), OtherRoutes);
    assert.equal(await guard(config).canActivate(v1), true);
    assert.equal(isApiPath('/api'), true);
    assert.equal(isApiPath('/apis'), false);
    assert.equal(isApiPath('/api/x'), true);
  });

  it('knows a route by its declared paths, not the request URL', async () => {
    assert.deepEqual(routePaths(Routes, Routes.prototype.undeclared), ['/api/x/:id']);
    assert.deepEqual(routePaths(Routes, Routes.prototype.open), ['/api/x']);
    assert.deepEqual(routePaths(OtherRoutes, OtherRoutes.prototype.undeclared), [
      '/v1/chat/completions',
      '/v1/completions',
    ]);
    // the router decodes `/%61pi/x`: it is still an /api route
    const encoded = contextFor('admin', request('/%61pi/x/admin'));
    assert.equal(await status(() => guard(config).canActivate(encoded)), 401);
  });

  it('refuses an /api route that declares no access with a 500', async () => {
    assert.equal(
      await status(() => guard(config).canActivate(contextFor('undeclared', request('/api/x')))),
      500,
    );
  });

  it('lets anyone call a public route, 401 without credentials, 403 with too low a role', async () => {
    assert.equal(await status(() => guard(config).canActivate(contextFor('open', request('/api/x')))), true);
    assert.equal(await status(() => guard(config).canActivate(contextFor('admin', request('/api/x')))), 401);
    const asUser = guard(config, {
      ok: true,
      principal: { kind: 'session', id: 'user:u', name: 'u', userId: 'u', role: 'user', sessionId: 's' },
    });
    const cookie = request('/api/x', { cookie: 'mr_access=eyJa.b.c' });
    (cookie as { server: unknown }).server = { parseCookie: () => ({ mr_access: 'eyJa.b.c' }) };
    assert.equal(await status(() => asUser.canActivate(contextFor('admin', cookie))), 403);
  });

  it('takes the access key only when auth.access_key_role gives it a role', async () => {
    const headers = { authorization: 'Bearer the-key' };
    assert.equal(
      await status(() => guard(config).canActivate(contextFor('admin', request('/api/x', headers)))),
      401,
    );
    const admin = configWith({ auth: { access_key_role: 'admin' } });
    const req = request('/api/x', headers);
    assert.equal(await status(() => guard(admin).canActivate(contextFor('admin', req))), true);
    assert.equal(req.principal?.kind, 'access_key');
    const off = configWith({ auth: { access_key_role: 'admin' }, server: { access_key_enabled: false } });
    assert.equal(
      await status(() => guard(off).canActivate(contextFor('admin', request('/api/x', headers)))),
      401,
    );
    const wrong = { authorization: 'Bearer not-the-key' };
    assert.equal(
      await status(() => guard(admin).canActivate(contextFor('admin', request('/api/x', wrong)))),
      401,
    );
  });

  it('refuses a cookie POST from a foreign origin, even on public routes', async () => {
    const foreign = request('/api/x', { origin: 'https://evil.example' }, 'POST');
    assert.equal(await status(() => guard(config).canActivate(contextFor('open', foreign))), 403);
    const same = request('/api/x', { origin: 'http://relay:8787' }, 'POST');
    assert.equal(await status(() => guard(config).canActivate(contextFor('open', same))), true);
    const withHeader = request(
      '/api/x',
      { origin: 'https://evil.example', authorization: 'Bearer x' },
      'POST',
    );
    assert.equal(await status(() => guard(config).canActivate(contextFor('open', withHeader))), true);
  });
});

describe('originAllowed', () => {
  const req = request('/api/x') as FastifyRequest;
  it('accepts the request origin, server.public_host and listed CORS origins, never by "*"', () => {
    assert.equal(originAllowed('http://relay:8787', req, configWith({})), true);
    assert.equal(
      originAllowed('https://evil.example', req, configWith({ server: { cors_origins: ['*'] } })),
      false,
    );
    const listed = configWith({ server: { cors_origins: ['https://console.example'] } });
    assert.equal(originAllowed('https://console.example', req, listed), true);
    const publicHost = configWith({ server: { public_host: 'relay.example.com' } });
    assert.equal(originAllowed('https://relay.example.com', req, publicHost), true);
    assert.equal(originAllowed('null', req, publicHost), false);
  });
});
