import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { SettingsView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { SettingsComponent } from './settings.component';

const VIEW: SettingsView = {
  server: { publicHost: '', corsOrigins: ['https://a.example'], logLevel: 'info', accessKeyEnabled: true },
  sso: {
    enabled: true,
    githubClientId: 'gh-id',
    githubClientSecretSet: true,
    googleClientId: '',
    googleClientSecretSet: false,
    adminUsernames: ['ada'],
    ssoOnly: false,
    allowedGithubOrgs: [],
    allowedGoogleDomains: [],
  },
  keySelection: { strategy: 'round-robin' },
  toolCalling: { autoDowngrade: true, unsupportedModels: [] },
  logging: { enabled: true, maxAgeDays: 30, contentPreviewLength: 200 },
  auth: { openSignup: false, allowedEmailDomains: [] },
};

describe('SettingsComponent', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<SettingsComponent>;
  let element: HTMLElement;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  };
  const one = <T extends HTMLElement = HTMLElement>(testId: string) =>
    element.querySelector<T>(`[data-testid="${testId}"]`)!;
  const type = async (input: HTMLInputElement, value: string) => {
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await settle();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SettingsComponent);
    element = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http.expectOne({ method: 'GET', url: '/api/settings' }).flush(VIEW);
    await settle();
  });

  afterEach(() => {
    http.verify();
    fixture.destroy();
  });

  it('fills the form; secrets stay empty and say whether one is set', () => {
    expect(one<HTMLInputElement>('setting-githubClientId').value).toBe('gh-id');
    expect(one<HTMLInputElement>('setting-corsOrigins').value).toBe('https://a.example');
    expect(one<HTMLSelectElement>('setting-strategy').value).toBe('round-robin');
    const secret = one<HTMLInputElement>('setting-githubClientSecret');
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('');
    expect(secret.parentElement!.textContent).toContain('Leave empty to keep it');
  });

  it('saves only what changed; an empty secret is not sent, a typed one is', async () => {
    const strategy = one<HTMLSelectElement>('setting-strategy');
    strategy.value = 'weighted';
    strategy.dispatchEvent(new Event('change'));
    await type(one<HTMLInputElement>('setting-adminUsernames'), 'ada, bob');
    one<HTMLInputElement>('setting-ssoOnly').click();
    await settle();
    one('settings-save').click();
    await settle();
    const patch = http.expectOne({ method: 'PATCH', url: '/api/config' });
    expect(patch.request.body).toEqual({
      ops: [
        { path: ['key_selection', 'strategy'], value: 'weighted' },
        { path: ['sso', 'admin_usernames'], value: ['ada', 'bob'] },
        { path: ['sso', 'sso_only'], value: true },
      ],
    });
    patch.flush({ warnings: [] });
    await settle();
    http.expectOne({ method: 'GET', url: '/api/settings' }).flush({
      ...VIEW,
      keySelection: { strategy: 'weighted' },
      sso: { ...VIEW.sso, adminUsernames: ['ada', 'bob'], ssoOnly: true },
    });
    await settle();
    expect(one('settings-saved').textContent).toContain('Saved');

    await type(one<HTMLInputElement>('setting-googleClientSecret'), 'new-google-secret');
    one('settings-save').click();
    await settle();
    const second = http.expectOne({ method: 'PATCH', url: '/api/config' });
    expect(second.request.body).toEqual({
      ops: [{ path: ['sso', 'google_client_secret'], value: 'new-google-secret' }],
    });
    second.flush(
      {
        error: { message: 'invalid configuration: nothing was saved' },
        errors: [{ path: 'sso.google_client_secret', message: 'needs google_client_id', line: 4, column: 3 }],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle();
    expect(one('settings-sso').querySelector('[data-testid="field-error"]')!.textContent).toContain(
      'needs google_client_id',
    );
  });

  it('clears the request log only after the confirm step', async () => {
    one('clear-logs').click();
    await settle();
    http.expectNone({ method: 'DELETE', url: '/api/logs' });
    one('clear-cancel').click();
    await settle();
    expect(one('clear-confirm')).toBeNull();
    one('clear-logs').click();
    await settle();
    one('clear-yes').click();
    await settle();
    http.expectOne({ method: 'DELETE', url: '/api/logs' }).flush({ deleted: 12 });
    await settle();
    expect(one('clear-done').textContent).toContain('12 entries deleted');
  });
});
