// Small HTTP pieces the fake providers share: reading forms, answering, redirecting, reading credentials.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** Reads a form (or JSON) body into strings; an unreadable body reads as no fields. */
export async function readFields(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (!(req.headers['content-type'] ?? '').includes('json')) return parseQuery(text);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed)) {
      if (value !== null && value !== undefined) fields[name] = String(value);
    }
    return fields;
  } catch {
    return {};
  }
}

/** The first value of each name in a query string (with or without the leading `?`). */
export function parseQuery(search: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    if (!(name in fields)) fields[name] = value;
  }
  return fields;
}

export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendForm(res: ServerResponse, status: number, fields: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  res.end(new URLSearchParams(fields).toString());
}

/** A page meant for the person at the browser (the fakes keep it plain text). */
export function sendPage(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': '0' });
  res.end();
}

/**
 * `url` with `params` appended to its query; the existing query is kept byte for byte.
 * Undefined values are left out.
 */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.append(name, value);
  }
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${search.toString()}`;
}

/** The token of an `Authorization: <scheme> <token>` header whose scheme is one of `schemes`. */
export function tokenFromAuthorization(
  headers: IncomingHttpHeaders,
  schemes: readonly string[],
): string | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(headers.authorization ?? '');
  if (match === null || !schemes.includes(match[1]!.toLowerCase())) return undefined;
  return match[2];
}

/** The client id and secret of an `Authorization: Basic` header (client_secret_basic). */
export function basicCredentials(
  headers: IncomingHttpHeaders,
): { clientId: string; clientSecret: string } | undefined {
  const token = tokenFromAuthorization(headers, ['basic']);
  if (token === undefined) return undefined;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colonAt = decoded.indexOf(':');
  if (colonAt === -1) return undefined;
  // RFC 6749 §2.3.1: both halves are form-encoded before being joined.
  const unescape = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  try {
    return {
      clientId: unescape(decoded.slice(0, colonAt)),
      clientSecret: unescape(decoded.slice(colonAt + 1)),
    };
  } catch {
    return undefined;
  }
}
