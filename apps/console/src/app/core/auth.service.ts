import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { MeView, SessionView, SetupStatus } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';

/** What `GET /api/auth/sso/status` answers. */
export interface SsoStatus {
  enabled: boolean;
  providers: Array<{ id: 'github' | 'google'; name: string; loginUrl: string }>;
  defaultProvider: 'github' | 'google' | null;
  ssoOnly: boolean;
}

/**
 * The signed-in user. Sessions live in the relay's HttpOnly cookies (`mr_access`, `mr_refresh`): the
 * console never sees a token, it only asks `/api/auth/me` who it is and `/api/auth/refresh` for a
 * new access cookie when one expires (see `auth.interceptor.ts`).
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  /** undefined: not asked yet; null: signed out. */
  readonly me = signal<MeView | null | undefined>(undefined);
  readonly isAdmin = computed(() => {
    const role = this.me()?.role;
    return role === 'admin' || role === 'superadmin';
  });
  private refreshing: Promise<boolean> | null = null;
  private loading: Promise<MeView | null> | null = null;

  /** Who is signed in (asks once; `force` asks again). */
  load(force = false): Promise<MeView | null> {
    const known = this.me();
    if (!force && known !== undefined) return Promise.resolve(known);
    if (!force && this.loading) return this.loading;
    this.loading = firstValueFrom(this.http.get<MeView>('/api/auth/me'))
      .then(
        (me) => me,
        () => null,
      )
      .then((me) => {
        this.me.set(me);
        this.loading = null;
        return me;
      });
    return this.loading;
  }

  async login(username: string, password: string): Promise<void> {
    await firstValueFrom(this.http.post<SessionView>('/api/auth/login', { username, password }));
    await this.load(true);
  }

  async signup(body: { username: string; password: string; email?: string; invite?: string }): Promise<void> {
    await firstValueFrom(this.http.post<SessionView>('/api/auth/signup', body));
    await this.load(true);
  }

  setupStatus(): Promise<SetupStatus> {
    return firstValueFrom(this.http.get<SetupStatus>('/api/setup/status'));
  }

  async setup(body: {
    username: string;
    password: string;
    accessKey: string;
    displayName?: string;
  }): Promise<void> {
    await firstValueFrom(this.http.post<SessionView>('/api/setup', body));
    await this.load(true);
  }

  ssoStatus(): Promise<SsoStatus> {
    return firstValueFrom(this.http.get<SsoStatus>('/api/auth/sso/status'));
  }

  async logout(): Promise<void> {
    await firstValueFrom(this.http.post('/api/auth/logout', {})).catch(() => undefined);
    this.me.set(null);
  }

  /**
   * Rotates the session (`POST /api/auth/refresh`, the `mr_refresh` cookie). Concurrent callers share
   * one call: a second refresh with the same token would look like a stolen copy and end the session.
   * False only when the relay refused (the session is over); a relay that cannot be reached (say it
   * is restarting) is not a sign-out, so that counts as true and callers try again later.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= firstValueFrom(this.http.post<SessionView>('/api/auth/refresh', {}))
      .then(
        () => true,
        (error: unknown) => {
          if (!(error instanceof HttpErrorResponse) || (error.status !== 401 && error.status !== 403))
            return true;
          this.me.set(null);
          return false;
        },
      )
      .finally(() => setTimeout(() => (this.refreshing = null), 0));
    return this.refreshing;
  }
}

/** The relay's error message from an HTTP error (`{ message }` or `{ error: { message } }`). */
export function errorMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const body = error.error as { message?: unknown; error?: { message?: unknown } } | null;
    const message = body?.error?.message ?? body?.message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
    return `${error.status} ${error.statusText}`;
  }
  return error instanceof Error ? error.message : String(error);
}
