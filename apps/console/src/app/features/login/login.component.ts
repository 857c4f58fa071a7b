import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { AuthService, type SsoStatus, errorMessage } from '../../core/auth.service';
import { I18nService, type Lang } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/en';
import { ThemeService } from '../../core/theme.service';

type Mode = 'loading' | 'setup' | 'login' | 'signup';

/** SSO failures land on `/#/login?error=<code>`: the codes the relay sends, in words. */
const SSO_ERRORS: Record<string, MessageKey> = {
  signup_closed: 'login.error.signup_closed',
  org_required: 'login.error.org_required',
  invalid_state: 'login.error.invalid_state',
  access_denied: 'login.error.access_denied',
};

/** Sign-in (password and SSO), first-run setup (with the access key) and sign-up by invite. */
@Component({
  selector: 'mr-login',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="login-page">
      <div class="login-tools">
        <select
          data-testid="lang"
          [attr.aria-label]="t('header.language')"
          [value]="i18n.lang()"
          (change)="setLang($any($event.target).value)"
        >
          <option value="en">English</option>
          <option value="zh-CN">简体中文</option>
        </select>
        <button
          type="button"
          class="icon-button"
          data-testid="theme-toggle"
          [attr.aria-label]="theme.theme() === 'dark' ? t('header.lightTheme') : t('header.darkTheme')"
          (click)="theme.toggle()"
        >
          {{ theme.theme() === 'dark' ? '☀' : '☾' }}
        </button>
      </div>
      <section class="card login-card">
        <h1>MonoRelay</h1>
        @switch (mode()) {
          @case ('loading') {
            <p class="muted">{{ t('common.loading') }}</p>
          }
          @case ('setup') {
            <h2>{{ t('setup.title') }}</h2>
            <p class="muted">{{ t('setup.intro') }}</p>
            <form (ngSubmit)="submitSetup()" data-testid="setup-form">
              <label
                >{{ t('setup.accessKey') }}
                <input
                  name="accessKey"
                  type="password"
                  autocomplete="off"
                  required
                  [(ngModel)]="accessKey"
                  data-testid="setup-access-key"
                />
              </label>
              <p class="hint">{{ t('setup.accessKeyHint') }}</p>
              <label
                >{{ t('login.username') }}
                <input
                  name="username"
                  autocomplete="username"
                  required
                  [(ngModel)]="username"
                  data-testid="username"
                />
              </label>
              <label
                >{{ t('setup.displayName') }}
                <input name="displayName" [(ngModel)]="displayName" />
              </label>
              <label
                >{{ t('login.password') }}
                <input
                  name="password"
                  type="password"
                  autocomplete="new-password"
                  required
                  [(ngModel)]="password"
                  data-testid="password"
                />
              </label>
              <button class="primary" type="submit" [disabled]="busy()" data-testid="setup-submit">
                {{ t('setup.submit') }}
              </button>
            </form>
          }
          @case ('signup') {
            <h2>{{ t('signup.title') }}</h2>
            <form (ngSubmit)="submitSignup()" data-testid="signup-form">
              <label
                >{{ t('login.username') }}
                <input name="username" autocomplete="username" required [(ngModel)]="username" />
              </label>
              <label
                >{{ t('users.email') }}
                <input name="email" type="email" [(ngModel)]="email" />
              </label>
              <label
                >{{ t('login.password') }}
                <input
                  name="password"
                  type="password"
                  autocomplete="new-password"
                  required
                  [(ngModel)]="password"
                />
              </label>
              <button class="primary" type="submit" [disabled]="busy()" data-testid="signup-submit">
                {{ t('signup.submit') }}
              </button>
            </form>
          }
          @default {
            <h2>{{ t('login.title') }}</h2>
            @if (!sso()?.ssoOnly) {
              <form (ngSubmit)="submitLogin()" data-testid="login-form">
                <label
                  >{{ t('login.username') }}
                  <input
                    name="username"
                    autocomplete="username"
                    required
                    [(ngModel)]="username"
                    data-testid="username"
                  />
                </label>
                <label
                  >{{ t('login.password') }}
                  <input
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    [(ngModel)]="password"
                    data-testid="password"
                  />
                </label>
                <button class="primary" type="submit" [disabled]="busy()" data-testid="login-submit">
                  {{ t('login.submit') }}
                </button>
              </form>
            }
            @if (sso()?.enabled) {
              <div class="sso">
                @if (!sso()?.ssoOnly) {
                  <p class="muted or">{{ t('login.or') }}</p>
                }
                @for (provider of sso()!.providers; track provider.id) {
                  <a
                    class="button sso-button"
                    [href]="provider.loginUrl + '?returnTo=' + returnTo"
                    [attr.data-testid]="'sso-' + provider.id"
                  >
                    {{ t(provider.id === 'github' ? 'login.github' : 'login.google') }}
                  </a>
                }
              </div>
            }
          }
        }
        @if (shownError()) {
          <p class="error" role="alert" data-testid="login-error">{{ shownError() }}</p>
        }
      </section>
    </div>
  `,
})
export class LoginComponent implements OnInit {
  protected readonly i18n = inject(I18nService);
  protected readonly theme = inject(ThemeService);
  protected readonly t = this.i18n.t;
  protected readonly mode = signal<Mode>('loading');
  protected readonly sso = signal<SsoStatus | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal('');
  /** An SSO failure's code: kept as a code so the message follows a language switch. */
  private readonly ssoErrorCode = signal<string | null>(null);
  protected readonly shownError = computed(() => {
    const code = this.ssoErrorCode();
    if (this.error() || code === null) return this.error();
    return SSO_ERRORS[code] ? this.t(SSO_ERRORS[code]) : this.t('login.error.sso', { code });
  });
  protected readonly returnTo = encodeURIComponent('/#/dashboard');
  protected username = '';
  protected password = '';
  protected displayName = '';
  protected email = '';
  protected accessKey = '';
  private invite = '';
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  async ngOnInit(): Promise<void> {
    const query = this.route.snapshot.queryParamMap;
    const code = query.get('error');
    if (code) this.ssoErrorCode.set(code);
    if (this.route.snapshot.data['mode'] === 'signup') {
      this.invite = query.get('invite') ?? '';
      this.mode.set('signup');
      return;
    }
    try {
      const [setup, sso] = await Promise.all([
        this.auth.setupStatus(),
        this.auth.ssoStatus().catch(() => null),
      ]);
      this.sso.set(sso);
      if (setup.needsSetup) {
        this.mode.set('setup');
        return;
      }
      if (await this.auth.load(true)) {
        await this.router.navigateByUrl('/dashboard');
        return;
      }
      this.mode.set('login');
    } catch (error) {
      this.mode.set('login');
      this.error.set(errorMessage(error));
    }
  }

  protected setLang(lang: Lang): void {
    this.i18n.lang.set(lang);
  }

  protected submitLogin(): Promise<void> {
    return this.run(() => this.auth.login(this.username, this.password));
  }

  protected submitSetup(): Promise<void> {
    return this.run(() =>
      this.auth.setup({
        username: this.username,
        password: this.password,
        accessKey: this.accessKey,
        ...(this.displayName ? { displayName: this.displayName } : {}),
      }),
    );
  }

  protected submitSignup(): Promise<void> {
    return this.run(() =>
      this.auth.signup({
        username: this.username,
        password: this.password,
        ...(this.email ? { email: this.email } : {}),
        ...(this.invite ? { invite: this.invite } : {}),
      }),
    );
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set('');
    this.ssoErrorCode.set(null);
    try {
      await action();
      await this.router.navigateByUrl('/dashboard');
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
