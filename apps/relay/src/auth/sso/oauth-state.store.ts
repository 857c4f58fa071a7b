import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SsoProvider } from './sso-providers';

/** The cookie that binds an OAuth flow to the browser that started it. */
export const OAUTH_STATE_COOKIE = 'mr_oauth';
/** Only the SSO routes receive it. */
export const OAUTH_STATE_COOKIE_PATH = '/api/auth/sso';
/** How long a sign-in at the provider may take. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** What the login step remembers for the callback step. */
export interface OAuthIntent {
  /** A same-origin path to land on afterwards. */
  returnTo: string;
  /** An invite token from the login URL. */
  invite: string | null;
  /** Linking: the signed-in user the identity is attached to (instead of signing in). */
  link: string | null;
}

/** The whole server-side state of one OAuth flow, kept sealed in the browser's `mr_oauth` cookie. */
export interface OAuthStateRecord extends OAuthIntent {
  v: 1;
  provider: SsoProvider;
  /** The `state` parameter sent to the provider (256 random bits). */
  state: string;
  /** PKCE: the verifier whose S256 challenge went to the provider. */
  codeVerifier: string;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
}

/** Why the state check failed: passport hands this to the authenticate callback as `info`. */
export interface OAuthStateFailure {
  code: 'invalid_state' | 'state_expired';
  message: string;
}

/**
 * One flow's link between the request passport sees and the cookie: the controller fills in the
 * provider and the cookie that came in; the store fills in the cookie to send or the record it
 * verified. Carried on the request object passport receives (see `passport-fastify.ts`).
 */
export interface OAuthFlow {
  provider: SsoProvider;
  /** Callback: the `mr_oauth` cookie the browser sent. */
  cookie: string | null;
  /** Login: the sealed record to set as the `mr_oauth` cookie. */
  sealed?: string;
  /** Callback: the verified record. */
  record?: OAuthStateRecord;
}

export const OAUTH_FLOW = Symbol('monorelay.oauthFlow');

type FlowCarrier = { [OAUTH_FLOW]?: OAuthFlow };

const KEY_INFO = 'monorelay oauth state cookie v1';
const SEAL_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit AES key for the state cookie, derived (HKDF-SHA256) from the session secret. */
export function stateCookieKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'monorelay', KEY_INFO, 32));
}

/** `v1.<base64url(iv | ciphertext | tag)>`: AES-256-GCM, the cookie name as associated data. */
export function sealState(record: OAuthStateRecord, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(OAUTH_STATE_COOKIE));
  const body = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
  return `${SEAL_VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The record inside a sealed cookie; null when it was not sealed with `key` or was altered. */
export function unsealState(sealed: string, key: Buffer): OAuthStateRecord | null {
  const [version, payload, extra] = sealed.split('.');
  if (version !== SEAL_VERSION || !payload || extra !== undefined) return null;
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(OAUTH_STATE_COOKIE));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    const record = JSON.parse(plain.toString('utf8')) as Partial<OAuthStateRecord>;
    return isRecord(record) ? record : null;
  } catch {
    return null;
  }
}

function isRecord(value: Partial<OAuthStateRecord>): value is OAuthStateRecord {
  return (
    value.v === 1 &&
    (value.provider === 'github' || value.provider === 'google') &&
    typeof value.state === 'string' &&
    typeof value.codeVerifier === 'string' &&
    typeof value.returnTo === 'string' &&
    (value.invite === null || typeof value.invite === 'string') &&
    (value.link === null || typeof value.link === 'string') &&
    typeof value.createdAt === 'number' &&
    typeof value.expiresAt === 'number'
  );
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface OAuthStateStoreDeps {
  /** The sealing key in force (derived from the session secret, so it follows its changes). */
  key(): Buffer;
  /**
   * Marks a state as used; true only the first time (across replicas when the shared state is
   * Redis). Entries may expire after `ttlMs`.
   */
  consume(id: string, ttlMs: number): Promise<boolean>;
  now?(): number;
}

/**
 * passport-oauth2's state store for `pkce: true` (it picks the signatures by arity:
 * `store(req, verifier, state, meta, cb)` and `verify(req, providedState, cb)`, where `cb(err, ok,
 * info)` takes the PKCE verifier as `ok`).
 *
 * Nothing is kept in server memory: the login step seals the whole record (state, PKCE verifier,
 * return path, invite, link target, expiry) with AES-256-GCM under a key derived from the session
 * secret, and sends it as the httpOnly, SameSite=Lax `mr_oauth` cookie; the callback step opens it.
 * So any replica can finish a flow another started, and:
 * - the `state` parameter must equal the one sealed in this browser's cookie: a state (or a code)
 *   from another browser fails, which stops login CSRF (signing a victim into the attacker's account);
 * - the verifier never leaves the server side in the clear, and the token request proves it (PKCE);
 * - the record expires after 10 minutes, and is single-use: the controller clears the cookie at the
 *   callback, and the state's hash is recorded as consumed in the shared state store, so a replayed
 *   cookie + state pair is refused even by another replica.
 */
export class OAuthStateStore {
  constructor(private readonly deps: OAuthStateStoreDeps) {}

  /** Login step. `intent` is the `state` object given to `passport.authenticate`. */
  store(
    req: unknown,
    verifier: string | undefined,
    intent: Partial<OAuthIntent> | undefined,
    _meta: unknown,
    callback: (err: Error | null, state?: string) => void,
  ): void {
    const flow = (req as FlowCarrier)[OAUTH_FLOW];
    if (!flow) return callback(new Error('OAuth state store: the request carries no flow'));
    if (!verifier) return callback(new Error('OAuth state store: PKCE is required'));
    const now = this.now();
    const record: OAuthStateRecord = {
      v: 1,
      provider: flow.provider,
      state: randomBytes(32).toString('base64url'),
      codeVerifier: verifier,
      returnTo: intent?.returnTo ?? '/',
      invite: intent?.invite ?? null,
      link: intent?.link ?? null,
      createdAt: now,
      expiresAt: now + OAUTH_STATE_TTL_MS,
    };
    try {
      flow.sealed = sealState(record, this.deps.key());
    } catch (error) {
      return callback(error as Error);
    }
    callback(null, record.state);
  }

  /** Callback step: `ok` is the PKCE verifier when the state checks out; `info` says why not. */
  verify(
    req: unknown,
    providedState: unknown,
    callback: (err: Error | null, ok: string | false, info?: OAuthStateRecord | OAuthStateFailure) => void,
  ): void {
    const flow = (req as FlowCarrier)[OAUTH_FLOW];
    const refuse = (message: string, code: OAuthStateFailure['code'] = 'invalid_state') =>
      callback(null, false, { code, message });
    if (!flow) return callback(new Error('OAuth state store: the request carries no flow'), false);
    if (typeof providedState !== 'string' || providedState === '') return refuse('no state parameter');
    if (!flow.cookie)
      return refuse('no state cookie: the sign-in was started in another browser, or cookies are off');
    let record: OAuthStateRecord | null;
    try {
      record = unsealState(flow.cookie, this.deps.key());
    } catch (error) {
      return callback(error as Error, false);
    }
    if (!record) return refuse('the state cookie is not ours or was altered');
    if (record.provider !== flow.provider) return refuse(`the sign-in was started with ${record.provider}`);
    if (!sameString(record.state, providedState)) return refuse('the state does not match this browser');
    if (record.expiresAt <= this.now()) return refuse('the sign-in took too long', 'state_expired');
    const ttl = Math.max(1000, record.expiresAt - this.now());
    this.deps.consume(`sso:state:${hash('sha256', record.state, 'hex')}`, ttl).then(
      (first) => {
        if (!first) return refuse('the state was already used');
        flow.record = record;
        callback(null, record.codeVerifier, record);
      },
      (error: unknown) => callback(error as Error, false),
    );
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
