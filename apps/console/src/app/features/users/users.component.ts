import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { CreatedInvite, InviteView, UserRole, UserView } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { AuthService, errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/en';
import { CopyButtonComponent } from '../../shared/copy-button.component';

const ROLE_LABELS: Record<UserRole, MessageKey> = {
  user: 'users.role.user',
  admin: 'users.role.admin',
  superadmin: 'users.role.superadmin',
};

/** Admins: accounts (role, enabled, password reset) and invites. The relay enforces who may do what. */
@Component({
  selector: 'mr-users',
  imports: [FormsModule, CopyButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <h1>{{ t('users.title') }}</h1>
    </div>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (notice()) {
      <p class="notice" role="status">{{ notice() }}</p>
    }
    <div class="table-wrap card">
      <table data-testid="user-table">
        <thead>
          <tr>
            <th>{{ t('users.username') }}</th>
            <th class="hide-sm">{{ t('users.email') }}</th>
            <th>{{ t('users.role') }}</th>
            <th>{{ t('users.status') }}</th>
            <th class="hide-sm">{{ t('users.lastLogin') }}</th>
            <th>{{ t('users.actions') }}</th>
          </tr>
        </thead>
        <tbody>
          @for (u of users(); track u.id) {
            <tr data-testid="user-row">
              <td>
                {{ u.username }}
                @if (u.displayName && u.displayName !== u.username) {
                  <span class="muted"> ({{ u.displayName }})</span>
                }
              </td>
              <td class="hide-sm">{{ u.email ?? '–' }}</td>
              <td>
                <select
                  [ngModel]="u.role"
                  (ngModelChange)="setRole(u, $event)"
                  [disabled]="u.id === myId()"
                  [attr.aria-label]="t('users.role')"
                >
                  @for (r of roles; track r) {
                    <option [value]="r">{{ t(roleLabels[r]) }}</option>
                  }
                </select>
              </td>
              <td>
                <span class="badge" [class.ok]="!u.disabled" [class.bad]="u.disabled">{{
                  u.disabled ? t('users.disabled') : t('users.enabled')
                }}</span>
              </td>
              <td class="hide-sm">{{ u.lastLoginAt ? date(u.lastLoginAt) : '–' }}</td>
              <td>
                <div class="actions">
                  <button
                    type="button"
                    class="small"
                    [disabled]="u.id === myId()"
                    (click)="toggleDisabled(u)"
                  >
                    {{ u.disabled ? t('users.enable') : t('users.disable') }}
                  </button>
                  <button type="button" class="small" (click)="resetPassword(u)">
                    {{ t('users.resetPassword') }}
                  </button>
                </div>
              </td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    <h2>{{ t('users.invites') }}</h2>
    <form class="card inline-form" (ngSubmit)="invite()">
      <label
        >{{ t('users.email')
        }}<input name="email" type="email" [(ngModel)]="inviteEmail" [placeholder]="t('users.optional')"
      /></label>
      <label
        >{{ t('users.role') }}
        <select name="role" [(ngModel)]="inviteRole">
          <option value="user">{{ t('users.role.user') }}</option>
          <option value="admin">{{ t('users.role.admin') }}</option>
        </select>
      </label>
      <button class="primary" type="submit" data-testid="invite-create">{{ t('users.invite') }}</button>
    </form>
    @if (createdInvite(); as inv) {
      <div class="card created">
        <strong>{{ t('users.inviteCreated') }}</strong>
        <div class="secret">
          <code data-testid="invite-url">{{ inv.url }}</code><mr-copy-button [text]="inv.url" />
        </div>
      </div>
    }
    <div class="table-wrap card">
      <table>
        <thead>
          <tr>
            <th>{{ t('users.email') }}</th>
            <th>{{ t('users.role') }}</th>
            <th>{{ t('users.status') }}</th>
            <th class="hide-sm">{{ t('users.expires') }}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          @for (i of invites(); track i.id) {
            <tr>
              <td>{{ i.email ?? t('users.anyone') }}</td>
              <td>{{ t(roleLabels[i.role]) }}</td>
              <td>
                {{
                  t(
                    i.state === 'pending'
                      ? 'users.invite.pending'
                      : i.state === 'used'
                        ? 'users.invite.used'
                        : 'users.invite.expired'
                  )
                }}
              </td>
              <td class="hide-sm">{{ date(i.expiresAt) }}</td>
              <td>
                @if (i.state === 'pending') {
                  <button type="button" class="danger small" (click)="deleteInvite(i)">
                    {{ t('common.delete') }}
                  </button>
                }
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="5" class="muted empty">{{ t('users.noInvites') }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
})
export class UsersComponent implements OnInit {
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly roles: UserRole[] = ['user', 'admin', 'superadmin'];
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly users = signal<UserView[]>([]);
  protected readonly invites = signal<InviteView[]>([]);
  protected readonly createdInvite = signal<CreatedInvite | null>(null);
  protected readonly error = signal('');
  protected readonly notice = signal('');
  protected readonly myId = computed(() => this.auth.me()?.id ?? null);
  protected inviteEmail = '';
  protected inviteRole: 'user' | 'admin' = 'user';
  private readonly auth = inject(AuthService);
  private readonly http = inject(HttpClient);

  ngOnInit(): void {
    void this.load();
  }

  protected date(epochMs: number): string {
    return this.i18n.dateTime(epochMs);
  }

  protected setRole(user: UserView, role: UserRole): Promise<void> {
    return this.patch(user, { role });
  }

  protected toggleDisabled(user: UserView): Promise<void> {
    return this.patch(user, { disabled: !user.disabled });
  }

  protected async resetPassword(user: UserView): Promise<void> {
    const password = prompt(this.t('users.newPassword', { name: user.username }));
    if (!password) return;
    await this.run(async () => {
      await firstValueFrom(
        this.http.post(`/api/users/${encodeURIComponent(user.id)}/password`, { password }),
      );
      this.notice.set(this.t('users.passwordReset', { name: user.username }));
    });
  }

  protected invite(): Promise<void> {
    return this.run(async () => {
      const body = { role: this.inviteRole, ...(this.inviteEmail ? { email: this.inviteEmail } : {}) };
      this.createdInvite.set(await firstValueFrom(this.http.post<CreatedInvite>('/api/users/invites', body)));
      this.inviteEmail = '';
      await this.load();
    });
  }

  protected deleteInvite(invite: InviteView): Promise<void> {
    return this.run(async () => {
      await firstValueFrom(this.http.delete(`/api/users/invites/${encodeURIComponent(invite.id)}`));
      await this.load();
    });
  }

  private patch(user: UserView, change: Partial<Pick<UserView, 'role' | 'disabled'>>): Promise<void> {
    return this.run(async () => {
      const updated = await firstValueFrom(
        this.http.patch<UserView>(`/api/users/${encodeURIComponent(user.id)}`, change),
      );
      this.users.update((list) => list.map((u) => (u.id === updated.id ? updated : u)));
    }, true);
  }

  private async run(action: () => Promise<void>, reloadOnError = false): Promise<void> {
    this.error.set('');
    this.notice.set('');
    try {
      await action();
    } catch (error) {
      this.error.set(errorMessage(error));
      if (reloadOnError) await this.load();
    }
  }

  private async load(): Promise<void> {
    try {
      const [users, invites] = await Promise.all([
        firstValueFrom(this.http.get<UserView[]>('/api/users')),
        firstValueFrom(this.http.get<InviteView[]>('/api/users/invites')),
      ]);
      this.users.set(users);
      this.invites.set(invites);
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }
}
