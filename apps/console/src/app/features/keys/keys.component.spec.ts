import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { RelayKeySummary } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { keyEditDraftOf, keyUpdate } from './key-edit';
import { KeysComponent } from './keys.component';

const KEY: RelayKeySummary = {
  id: 'key-1',
  name: 'laptop',
  prefix: 'mr-abcdef',
  status: 'active',
  createdAt: 1_700_000_000_000,
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  allowedModels: ['gpt-4o*'],
  limits: { requestsPerMinute: 60, tokensPerDay: null, budgetUsdPerDay: null, budgetUsdPerMonth: null },
  usage: { tokensToday: 0, costUsdToday: 0, tokensThisMonth: 0, costUsdThisMonth: 0 },
};

describe('keyUpdate', () => {
  it('sends only what changed, null to clear', () => {
    const draft = keyEditDraftOf(KEY);
    expect(keyUpdate(KEY, draft)).toEqual({});
    draft.models = '';
    draft.limits.requestsPerMinute = null;
    draft.limits.tokensPerDay = 5000;
    draft.expires = '2099-01-31';
    expect(keyUpdate(KEY, draft)).toEqual({
      expiresAt: '2099-01-31T23:59:59.000Z',
      allowedModels: null,
      requestsPerMinute: null,
      tokensPerDay: 5000,
    });
  });
});

describe('KeysComponent: editing a key', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<KeysComponent>;
  let element: HTMLElement;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  };
  const one = <T extends HTMLElement = HTMLElement>(testId: string) =>
    element.querySelector<T>(`[data-testid="${testId}"]`)!;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(KeysComponent);
    element = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http.expectOne({ method: 'GET', url: '/api/keys' }).flush([KEY]);
    await settle();
  });

  afterEach(() => {
    http.verify();
    fixture.destroy();
  });

  it('opens the form filled in, and saves a new name and model list with PATCH /api/keys/:id', async () => {
    one('key-edit').click();
    await settle();
    expect(one<HTMLInputElement>('key-edit-name').value).toBe('laptop');
    expect(one<HTMLInputElement>('key-edit-models').value).toBe('gpt-4o*');
    expect(one<HTMLInputElement>('key-edit-rpm').value).toBe('60');
    const name = one<HTMLInputElement>('key-edit-name');
    name.value = 'work laptop';
    name.dispatchEvent(new Event('input'));
    const models = one<HTMLInputElement>('key-edit-models');
    models.value = 'gpt-4o*, claude-*';
    models.dispatchEvent(new Event('input'));
    await settle();
    one('key-edit-save').click();
    await settle();
    const patch = http.expectOne({ method: 'PATCH', url: '/api/keys/key-1' });
    expect(patch.request.body).toEqual({ name: 'work laptop', allowedModels: ['gpt-4o*', 'claude-*'] });
    patch.flush({ ...KEY, name: 'work laptop', allowedModels: ['gpt-4o*', 'claude-*'] });
    await settle();
    http.expectOne({ method: 'GET', url: '/api/keys' }).flush([{ ...KEY, name: 'work laptop' }]);
    await settle();
    expect(one('key-edit-form')).toBeNull();
    expect(one('key-edit-saved').textContent).toContain('Key updated');
    expect(one('key-table').textContent).toContain('work laptop');
  });
});
