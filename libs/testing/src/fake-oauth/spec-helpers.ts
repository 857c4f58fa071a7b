// Helpers for the fake providers' specs: the browser's redirects, the relay's token and API calls.
import { createHash, randomBytes } from 'node:crypto';

/** A verifier and its S256 challenge, as passport-oauth2 with `pkce: true` makes them. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A GET that does not follow redirects: its status, body and `Location` split into URL and query. */
export async function browse(
  url: string,
  params: Record<string, string> = {},
): Promise<{ status: number; text: string; location: string | undefined; callback: URL | undefined }> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  const response = await fetch(target, { redirect: 'manual' });
  const text = await response.text();
  const location = response.headers.get('location') ?? undefined;
  return { status: response.status, text, location, callback: location ? new URL(location) : undefined };
}

/** A form POST, as node-oauth sends it. */
export async function postForm(
  url: string,
  fields: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.set(name, value);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: body.toString(),
  });
}

export async function getJson(
  url: string,
  authorization: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(url, {
    headers: { ...(authorization === undefined ? {} : { authorization }), ...headers },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
