import type { FastifyRequest } from 'fastify';
import type { Authenticator, AuthenticateOptions, Strategy } from 'passport';

/** How a passport run ended. */
export type PassportOutcome =
  /** The strategy sends the browser somewhere (to the provider's authorization page). */
  | { kind: 'redirect'; url: string; status: number }
  /** The strategy's verify step accepted: `user` is what `validate` returned. */
  | { kind: 'success'; user: unknown; info: unknown }
  /** Refused without an error: consent denied, state check failed, `validate` returned false. */
  | { kind: 'fail'; info: unknown; status: number | undefined }
  /** Something broke: the token exchange, the profile fetch, a store, or nothing finished in time. */
  | { kind: 'error'; error: Error };

export const PASSPORT_TIMEOUT_MS = 20_000;

/**
 * The few members of Node's `ServerResponse` that passport's `strategy.redirect()` uses. It
 * captures the redirect instead of writing it: the controller answers with Fastify.
 */
class ResponseShim {
  statusCode = 200;
  private readonly headers = new Map<string, string>();

  constructor(private readonly finish: (outcome: PassportOutcome) => void) {}

  setHeader(name: string, value: string | number): void {
    this.headers.set(name.toLowerCase(), String(value));
  }

  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }

  end(): void {
    const url = this.headers.get('location');
    this.finish(
      url
        ? { kind: 'redirect', url, status: this.statusCode }
        : {
            kind: 'error',
            error: new Error(`passport ended the response (${this.statusCode}) without a redirect`),
          },
    );
  }
}

/**
 * Runs `passport.authenticate(strategy, { session: false, ...options }, callback)` on a Fastify
 * request. Passport wants Express-like `req`/`res`: `req` is an object whose prototype is the
 * Fastify request (so `query`, `headers`, `url` read through, and what passport writes on it, like
 * `req.login`, stays off the real request) plus `extras`; `res` is a {@link ResponseShim}.
 *
 * Every path resolves exactly once: the callback (success, fail, error), a redirect, `next()` (a
 * strategy that passes), a synchronous throw, or the timeout (a provider that never answers).
 */
export function runPassport(
  passport: Pick<Authenticator, 'authenticate'>,
  strategy: Strategy,
  request: FastifyRequest,
  options: AuthenticateOptions & Record<string, unknown>,
  extras: Record<string | symbol, unknown> = {},
  timeoutMs = PASSPORT_TIMEOUT_MS,
): Promise<PassportOutcome> {
  return new Promise<PassportOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PassportOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ kind: 'error', error: new Error(`the sign-in did not finish within ${timeoutMs} ms`) }),
      timeoutMs,
    );
    const req = Object.assign(Object.create(request) as object, extras);
    const res = new ResponseShim(finish);
    const next = (error?: unknown) =>
      finish(
        error
          ? { kind: 'error', error: asError(error) }
          : { kind: 'fail', info: { message: 'the strategy did not decide' }, status: undefined },
      );
    try {
      const middleware = passport.authenticate(
        strategy,
        { ...options, session: false },
        (error: unknown, user: unknown, info: unknown, status: unknown) => {
          if (error) finish({ kind: 'error', error: asError(error) });
          else if (!user)
            finish({ kind: 'fail', info, status: typeof status === 'number' ? status : undefined });
          else finish({ kind: 'success', user, info });
        },
      ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
      middleware(req, res, next);
    } catch (error) {
      finish({ kind: 'error', error: asError(error) });
    }
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
