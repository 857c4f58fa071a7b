import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
import type { SessionView } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { AuthService, type SsoStatus, errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';

/**
 * The signed-in user's own account: who they are, their password, and the GitHub/Google sign-ins
 * linked to it. Linking failures come back as `/#/account?error=<code>`.
 */
@Component({
  selector: 'mr-account',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <h1>{{ t('account.title') }}</h1>
    </div>
    @if (error()) {
      <p class="error" role="alert" data-testid="account-error">{{ error() }}</p>
    }
    @if (notice()) {
      <p class="notice" role="status" data-testid="account-notice">{{ notice() }}</p>
    }
    @if (auth.me(); as me) {
      <section class="card account">
        <dl class="facts">
          <div>
            <dt>{{ t('users.username') }}</dt>
            <dd>{{ me.username }}</dd>
          </div>
          <div>
            <dt>{{ t('users.role') }}</dt>
            <dd>{{ roleName() }}</dd>
          </div>
          <div>
            <dt>{{ t('users.email') }}</dt>
            <dd>{{ me.email ?? '–' }}</dd>
          </div>
          <div>
            <dt>{{ t('account.identities') }}</dt>
            <dd>
              @for (identity of me.identities; track identity.provider) {
                <span class="badge">{{ identity.provider }}: {{ identity.username }}</span>
              } @empty {
                –
              }
            </dd>
          </div>
        </dl>
        @if (linkable().length > 0) {
          <div class="sso-links">
            @for (provider of linkable(); track provider.id) {
              <a
                class="button"
                [attr.data-testid]="'link-' + provider.id"
                [href]="provider.id === 'github' ? githubLink : googleLink"
              >
                {{ t(provider.id === 'github' ? 'account.linkGithub' : 'account.linkGoogle') }}
              </a>
            }
          </div>
        }
      </section>
      @if (me.kind === 'user') {
        <h2>{{ t('account.password') }}</h2>
        <form class="card inline-form" (ngSubmit)="changePassword()" data-testid="password-form">
          @if (me.hasPassword) {
            <label
              >{{ t('account.currentPassword') }}
              <input name="current" type="password" autocomplete="current-password" [(ngModel)]="current" />
            </label>
          }
          <label
            >{{ t('account.newPassword') }}
            <input name="next" type="password" autocomplete="new-password" required [(ngModel)]="next" />
          </label>
          <button class="primary" type="submit" [disabled]="!next" data-testid="password-submit">
            {{ t('account.changePassword') }}
          </button>
        </form>
      }
    }
  `,
})
export class AccountComponent implements OnInit {
  protected readonly auth = inject(AuthService);
  protected readonly t = inject(I18nService).t;
  protected readonly error = signal('');
  protected readonly notice = signal('');
  protected readonly sso = signal<SsoStatus | null>(null);
  protected readonly githubLink = `/api/auth/sso/github/link?returnTo=${encodeURIComponent('/#/account')}`;
  protected readonly googleLink = `/api/auth/sso/google/link?returnTo=${encodeURIComponent('/#/account')}`;
  /** Configured providers not linked yet. */
  protected readonly linkable = computed(() => {
    const linked = new Set(this.auth.me()?.identities.map((identity) => identity.provider));
    return this.auth.me()?.kind === 'user'
      ? (this.sso()?.providers ?? []).filter((provider) => !linked.has(provider.id))
      : [];
  });
  protected readonly roleName = computed(() => {
    const role = this.auth.me()?.role;
    return this.t(
      role === 'superadmin'
        ? 'users.role.superadmin'
        : role === 'admin'
          ? 'users.role.admin'
          : 'users.role.user',
    );
  });
  protected current = '';
  protected next = '';
  private readonly http = inject(HttpClient);
  private readonly route = inject(ActivatedRoute);

  async ngOnInit(): Promise<void> {
    const code = this.route.snapshot.queryParamMap.get('error');
    if (code) this.error.set(this.t('login.error.sso', { code }));
    this.sso.set(await this.auth.ssoStatus().catch(() => null));
  }

  protected async changePassword(): Promise<void> {
    this.error.set('');
    this.notice.set('');
    try {
      const body = { newPassword: this.next, ...(this.current ? { currentPassword: this.current } : {}) };
      await firstValueFrom(this.http.post<SessionView>('/api/auth/password', body));
      this.current = '';
      this.next = '';
      this.notice.set(this.t('account.passwordChanged'));
      await this.auth.load(true);
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }
}
