import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { I18nService, type Lang } from '../core/i18n/i18n.service';
import { ThemeService } from '../core/theme.service';

/** Header (navigation, theme, language, account) around every signed-in page. */
@Component({
  selector: 'mr-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <a class="brand" routerLink="/dashboard">MonoRelay</a>
      <button
        type="button"
        class="icon-button menu-toggle"
        data-testid="menu-toggle"
        [attr.aria-expanded]="menuOpen()"
        [attr.aria-label]="t('nav.menu')"
        (click)="menuOpen.set(!menuOpen())"
      >
        ☰
      </button>
      <nav class="nav" [class.open]="menuOpen()" (click)="menuOpen.set(false)">
        <a routerLink="/dashboard" routerLinkActive="active" data-testid="nav-dashboard">{{
          t('nav.dashboard')
        }}</a>
        <a routerLink="/logs" routerLinkActive="active" data-testid="nav-logs">{{ t('nav.logs') }}</a>
        <a routerLink="/keys" routerLinkActive="active" data-testid="nav-keys">{{ t('nav.keys') }}</a>
        @if (auth.isAdmin()) {
          <a routerLink="/providers" routerLinkActive="active" data-testid="nav-providers">{{
            t('nav.providers')
          }}</a>
          <a routerLink="/users" routerLinkActive="active" data-testid="nav-users">{{ t('nav.users') }}</a>
          <a routerLink="/routing" routerLinkActive="active" data-testid="nav-routing">{{
            t('routing.nav')
          }}</a>
          <a routerLink="/settings" routerLinkActive="active" data-testid="nav-settings">{{
            t('settings.nav')
          }}</a>
          <a routerLink="/config" routerLinkActive="active" data-testid="nav-config">{{ t('nav.config') }}</a>
        }
        <a routerLink="/account" routerLinkActive="active" class="nav-account">{{ t('account.title') }}</a>
        <button type="button" class="link-button nav-sign-out" (click)="signOut()">
          {{ t('header.signOut') }}
        </button>
      </nav>
      <div class="tools">
        <select
          class="lang"
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
          [title]="theme.theme() === 'dark' ? t('header.lightTheme') : t('header.darkTheme')"
          (click)="theme.toggle()"
        >
          {{ theme.theme() === 'dark' ? '☀' : '☾' }}
        </button>
        <a class="who" routerLink="/account" data-testid="who" [title]="t('account.title')">{{
          auth.me()?.displayName || auth.me()?.username
        }}</a>
        <button type="button" class="link-button sign-out" data-testid="sign-out" (click)="signOut()">
          {{ t('header.signOut') }}
        </button>
      </div>
    </header>
    <main class="page">
      <router-outlet />
    </main>
  `,
})
export class ShellComponent {
  protected readonly auth = inject(AuthService);
  protected readonly theme = inject(ThemeService);
  protected readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly menuOpen = signal(false);
  private readonly router = inject(Router);

  protected setLang(lang: Lang): void {
    this.i18n.lang.set(lang);
  }

  protected async signOut(): Promise<void> {
    await this.auth.logout();
    await this.router.navigateByUrl('/login');
  }
}
