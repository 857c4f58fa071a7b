// Walks every /api route with every kind of caller and checks the guard's answer against the
// table below. A route that is not in the table fails the test: add new routes here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatedInvite, SessionView } from '@monorelay/contracts';
import { ConfigService } from '../apps/relay/src/config/config.service';
import type { Access, Role } from '../apps/relay/src/auth/roles';
import { ACCESS_KEY, type RelayHarness, startRelay } from './support/relay-harness';

/**
 * A route about the caller's own account (own relay keys): the access key, which has a role but no
 * account, is refused (403) or stopped earlier (400, 404), never served.
 */
interface AccountRoute {
  access: Role;
  account: true;
}
const account = (access: Role): AccountRoute => ({ access, account: true });

/** Every /api route (as /docs-json names it) and who may call it. */
const ROUTES: Record<string, Access | AccountRoute> = {
  // setup and sign-in
  'GET /api/setup/status': 'public',
  'POST /api/setup': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': 'public',
  'POST /api/auth/signup': 'public',
  'GET /api/auth/me': 'user',
  'POST /api/auth/password': 'user',
  // single sign-on
  'GET /api/auth/sso/status': 'public',
  'GET /api/auth/sso/{provider}/login': 'public',
  'GET /api/auth/sso/{provider}/callback': 'public',
  'GET /api/auth/sso/{provider}/link': 'user',
  // accounts and invites
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/{id}': 'admin',
  'POST /api/users/{id}/password': 'admin',
  'GET /api/users/invites': 'admin',
  'POST /api/users/invites': 'admin',
  'DELETE /api/users/invites/{id}': 'admin',
  // relay keys
  'GET /api/keys': account('user'),
  'GET /api/keys/all': 'admin',
  'POST /api/keys': account('user'),
  'PATCH /api/keys/{id}': account('user'),
  'DELETE /api/keys/{id}': 'user',
  // request log and statistics
  'GET /api/logs': 'user',
  'GET /api/logs/stream': 'user',
  'GET /api/logs/{id}': 'user',
  'GET /api/logs/{id}/bodies': 'user',
  'GET /api/logs/queue': 'admin',
  'DELETE /api/logs': 'admin',
  'GET /api/stats': 'user',
  // local models (lifecycle)
  'GET /api/lifecycle/models': 'admin',
  'GET /api/lifecycle/models/{name}': 'admin',
  'POST /api/lifecycle/models/{name}/start': 'admin',
  'POST /api/lifecycle/models/{name}/stop': 'admin',
  // config editor
  'GET /api/config': 'admin',
  'PUT /api/config': 'admin',
  'PATCH /api/config': 'admin',
  'POST /api/config/validate': 'admin',
  // providers and their keys
  'GET /api/providers': 'admin',
  'POST /api/providers': 'admin',
  'GET /api/providers/{name}': 'admin',
  'PATCH /api/providers/{name}': 'admin',
  'DELETE /api/providers/{name}': 'admin',
  'POST /api/providers/{name}/keys': 'admin',
  'POST /api/providers/{name}/keys/import': 'admin',
  'PATCH /api/providers/{name}/keys/{index}': 'admin',
  'DELETE /api/providers/{name}/keys/{index}': 'admin',
  'POST /api/providers/{name}/keys/{index}/restore': 'admin',
  'POST /api/providers/{name}/test': 'admin',
  'GET /api/providers/{name}/models': 'admin',
};

/** Runs after every other route: it ends the caller's session. */
const LAST = new Set(['POST /api/auth/logout']);

const PASSWORD = 'walk every route please';

interface Caller {
  name: string;
  /** The role the guard should see; null = not an /api credential (401 on non-public routes). */
  role: Role | null;
  /** A signed-in user (the access key is not). */
  account: boolean;
  headers: Record<string, string>;
}

async function discoverRoutes(url: string): Promise<string[]> {
  const document = (await (await fetch(`${url}/docs-json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const methods = new Set(['get', 'post', 'put', 'patch', 'delete']);
  return Object.entries(document.paths)
    .filter(([path]) => path === '/api' || path.startsWith('/api/'))
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => methods.has(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/** Calls a route with harmless arguments (ids that do not exist, empty bodies); aborts streams after the headers. */
async function call(url: string, route: string, caller: Caller): Promise<number> {
  const [method, template] = route.split(' ');
  const path = template.replace(/\{[^}]+\}/g, 'no-such-id');
  const controller = new AbortController();
  const hasBody = method !== 'GET' && method !== 'DELETE';
  const response = await fetch(url + path, {
    method,
    redirect: 'manual',
    signal: controller.signal,
    headers: { ...caller.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? '{}' : undefined,
  });
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) controller.abort();
  else await response.arrayBuffer();
  return response.status;
}

function expectation(
  entry: Access | AccountRoute,
  caller: Caller,
  status: number,
  route: string,
): string | null {
  const where = `${route} as ${caller.name}: ${status}`;
  if (status >= 500) return `${where} (server error)`;
  const access = typeof entry === 'string' ? entry : entry.access;
  if (typeof entry !== 'string' && caller.role !== null && !caller.account)
    return status === 401 || status < 400 ? `${where}, expected 403 (needs an account)` : null;
  if (access === 'public')
    return status === 401 || status === 403 ? `${where}, but the route is public` : null;
  if (caller.role === null) return status === 401 ? null : `${where}, expected 401`;
  const rank = { user: 1, admin: 2, superadmin: 3 };
  if (rank[caller.role] < rank[access])
    return status === 403 ? null : `${where}, expected 403 (needs ${access})`;
  return status === 401 || status === 403 ? `${where}, expected to pass (needs ${access})` : null;
}

describe('every /api route declares its access, and the guard enforces it', () => {
  let relay: RelayHarness;
  const callers: Caller[] = [];
  let routes: string[];

  before(async () => {
    relay = await startRelay({});
    const setup = await fetch(`${relay.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: PASSWORD, accessKey: ACCESS_KEY }),
    });
    assert.equal(setup.status, 201);
    const root = cookieOf(setup);
    const signUp = async (username: string, role: 'user' | 'admin') => {
      const invite = await fetch(`${relay.url}/api/users/invites`, {
        method: 'POST',
        headers: { cookie: root, 'content-type': 'application/json' },
        body: JSON.stringify({ role }),
      });
      assert.equal(invite.status, 201);
      const { token } = (await invite.json()) as CreatedInvite;
      const signedUp = await fetch(`${relay.url}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD, invite: token }),
      });
      assert.equal(signedUp.status, 201);
      assert.equal(((await signedUp.json()) as SessionView).user.role, role);
      return cookieOf(signedUp);
    };
    callers.push(
      { name: 'no credential', role: null, account: false, headers: {} },
      {
        name: 'access key (access_key_role "")',
        role: null,
        account: false,
        headers: { authorization: `Bearer ${ACCESS_KEY}` },
      },
      { name: 'user', role: 'user', account: true, headers: { cookie: await signUp('ursula', 'user') } },
      { name: 'admin', role: 'admin', account: true, headers: { cookie: await signUp('adrian', 'admin') } },
      { name: 'superadmin', role: 'superadmin', account: true, headers: { cookie: root } },
    );
    routes = await discoverRoutes(relay.url);
  });
  after(() => relay.close());

  it('the table lists exactly the routes the app serves', () => {
    const missing = routes.filter((route) => !(route in ROUTES));
    assert.deepEqual(missing, [], `routes without an entry in ROUTES (add them): ${missing.join(', ')}`);
    const stale = Object.keys(ROUTES).filter((route) => !routes.includes(route));
    assert.deepEqual(stale, [], `entries in ROUTES for routes that do not exist: ${stale.join(', ')}`);
  });

  it('answers each caller as the table says', async () => {
    const ordered = [...routes.filter((r) => !LAST.has(r)), ...routes.filter((r) => LAST.has(r))];
    const problems: string[] = [];
    for (const route of ordered) {
      const access = ROUTES[route];
      if (!access) continue;
      for (const caller of callers) {
        const problem = expectation(access, caller, await call(relay.url, route, caller), route);
        if (problem) problems.push(problem);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the access key with access_key_role "admin" is an admin on /api', async () => {
    relay.writeConfig({ auth: { access_key_role: 'admin' } });
    assert.ok(relay.app.get(ConfigService).reload().ok);
    const caller: Caller = {
      name: 'access key (access_key_role "admin")',
      role: 'admin',
      account: false,
      headers: { authorization: `Bearer ${ACCESS_KEY}` },
    };
    const problems: string[] = [];
    for (const route of routes) {
      if (!ROUTES[route]) continue;
      const problem = expectation(ROUTES[route], caller, await call(relay.url, route, caller), route);
      if (problem) problems.push(problem);
    }
    assert.deepEqual(problems, []);
  });
});

function cookieOf(response: Response): string {
  const access = response.headers.getSetCookie().find((line) => line.startsWith('mr_access='));
  assert.ok(access, 'no mr_access cookie');
  return access.split(';', 1)[0];
}
