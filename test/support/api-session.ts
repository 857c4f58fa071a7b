// A cookie-keeping client for the /api surface, like a browser tab of the console.
import assert from 'node:assert/strict';
import type { SessionView, UserView } from '@monorelay/contracts';

export interface SetCookie {
  name: string;
  value: string;
  /** Lower-cased attribute names -> values ('' for flags). */
  attributes: Record<string, string>;
}

/** The `Set-Cookie` headers of a response. */
export function setCookies(response: Response): SetCookie[] {
  return response.headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const attributes: Record<string, string> = {};
    for (const attribute of rest) {
      const at = attribute.indexOf('=');
      if (at < 0) attributes[attribute.toLowerCase()] = '';
      else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1);
    }
    return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  });
}

export interface CallOptions {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

/**
 * Holds `mr_access` and `mr_refresh` as a browser would (the refresh cookie only goes to
 * `/api/auth`), and sends every request from `ip` (through `X-Forwarded-For`; the relay under
 * test must trust 127.0.0.1 as a proxy for that to count).
 */
export class ApiSession {
  access: string | null = null;
  refresh: string | null = null;

  constructor(
    readonly baseUrl: string,
    readonly ip: string | null = null,
  ) {}

  async call(path: string, options: CallOptions = {}): Promise<Response> {
    const cookies: string[] = [];
    if (this.access) cookies.push(`mr_access=${this.access}`);
    if (this.refresh && path.startsWith('/api/auth')) cookies.push(`mr_refresh=${this.refresh}`);
    const response = await fetch(this.baseUrl + path, {
      method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
      headers: {
        ...(cookies.length ? { cookie: cookies.join('; ') } : {}),
        ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.ip ? { 'x-forwarded-for': this.ip } : {}),
        ...options.headers,
      },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    });
    for (const cookie of setCookies(response)) {
      const cleared = cookie.attributes['max-age'] === '0' || cookie.value === '';
      if (cookie.name === 'mr_access') this.access = cleared ? null : cookie.value;
      if (cookie.name === 'mr_refresh') this.refresh = cleared ? null : cookie.value;
    }
    return response;
  }

  /** Calls and reads the JSON body, asserting the status. */
  async json<T>(path: string, status: number, options: CallOptions = {}): Promise<T> {
    const response = await this.call(path, options);
    const text = await response.text();
    assert.equal(response.status, status, `${options.method ?? 'GET'} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async login(username: string, password: string): Promise<SessionView> {
    return this.json<SessionView>('/api/auth/login', 200, { json: { username, password } });
  }
}

/** The `error` of an /api error body. */
export async function apiError(response: Response): Promise<{ message: string; type: string; code: string }> {
  const body = (await response.json()) as { error: { message: string; type: string; code: string } };
  return body.error;
}

/**
 * A relay's first-run setup (superadmin `root` with the access key), then one signed-in session
 * per account asked for, each created by root with `password`.
 */
export async function setUpAccounts<Name extends string>(
  baseUrl: string,
  accessKey: string,
  password: string,
  accounts: Record<Name, 'user' | 'admin'>,
): Promise<Record<Name, ApiSession>> {
  const root = new ApiSession(baseUrl);
  await root.json<SessionView>('/api/setup', 201, {
    json: { username: 'root', password, accessKey },
  });
  const sessions = {} as Record<Name, ApiSession>;
  for (const [username, role] of Object.entries(accounts) as Array<[Name, 'user' | 'admin']>) {
    await root.json<UserView>('/api/users', 201, { json: { username, password, role } });
    const session = new ApiSession(baseUrl);
    await session.login(username, password);
    sessions[username] = session;
  }
  return sessions;
}
