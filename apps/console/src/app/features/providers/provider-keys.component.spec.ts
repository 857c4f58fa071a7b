import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ProviderKeyView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { keyView, settle } from './provider-fixtures';
import { ProviderKeysComponent } from './provider-keys.component';

describe('ProviderKeysComponent', () => {
  const NOW = 1_800_000_000_000;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => vi.useRealTimers());

  async function render(keys: ProviderKeyView[]) {
    const fixture = TestBed.createComponent(ProviderKeysComponent);
    fixture.componentRef.setInput('providerName', 'openai');
    fixture.componentRef.setInput('keys', keys);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows masked keys and counts down to a cooling key’s recovery, every second', async () => {
    // Only Date is faked: the component's one-second timer runs for real.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const { fixture, element } = await render([
      keyView(0, { masked: 'sk-...abcd' }),
      keyView(1, { masked: 'sk-...wxyz', state: 'cooling', cooldownUntil: NOW + 23_000 }),
    ]);
    const rows = element.querySelectorAll('[data-testid="provider-key-row"]');
    expect(rows[0].querySelector('[data-testid="key-masked"]')!.textContent).toBe('sk-...abcd');
    expect(rows[0].querySelector('[data-testid="key-countdown"]')).toBeNull();
    expect(rows[1].querySelector('[data-testid="key-state"]')!.textContent?.trim()).toBe('Cooling down');
    const countdown = () => rows[1].querySelector('[data-testid="key-countdown"]')!.textContent?.trim();
    expect(countdown()).toBe('back in 23 s');

    vi.setSystemTime(NOW + 5_000);
    await settle(fixture, 1100);
    expect(countdown()).toBe('back in 18 s');

    vi.setSystemTime(NOW + 30_000);
    await settle(fixture, 1100);
    expect(countdown()).toBe('back any moment');
    fixture.destroy();
  });

  it('edits a key in place and asks for a reload', async () => {
    const { fixture, element } = await render([keyView(0, { label: 'old', weight: 1 })]);
    let changed = 0;
    fixture.componentInstance.changed.subscribe(() => changed++);
    element.querySelector<HTMLButtonElement>('[data-testid="key-edit"]')!.click();
    await settle(fixture);
    const label = element.querySelector<HTMLInputElement>('[data-testid="key-edit-label"]')!;
    expect(label.value).toBe('old');
    label.value = 'new';
    label.dispatchEvent(new Event('input'));
    const weight = element.querySelector<HTMLInputElement>('[data-testid="key-edit-weight"]')!;
    weight.value = '3';
    weight.dispatchEvent(new Event('input'));
    element.querySelector<HTMLButtonElement>('[data-testid="key-save"]')!.click();
    const patch = http.expectOne((r) => r.url === '/api/providers/openai/keys/0' && r.method === 'PATCH');
    expect(patch.request.body).toEqual({ label: 'new', weight: 3, enabled: true });
    patch.flush({});
    await settle(fixture);
    expect(changed).toBe(1);
    expect(element.querySelector('[data-testid="key-edit-label"]')).toBeNull();
  });

  it('edits a key’s limits: changed ones are sent, a cleared one as null, and shown in the row', async () => {
    const { fixture, element } = await render([
      keyView(0, { quotaLimit: 500, rateLimitRps: null, expiresAt: '2026-12-31T00:00:00Z' }),
    ]);
    expect(element.querySelector('[data-testid="key-limits"]')!.textContent).toBe(
      '500 requests · until 2026-12-31',
    );
    element.querySelector<HTMLButtonElement>('[data-testid="key-edit"]')!.click();
    await settle(fixture);
    const field = (id: string) => element.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
    expect(field('key-edit-quota').value).toBe('500');
    expect(field('key-edit-expires').value).toBe('2026-12-31');
    field('key-edit-quota').value = '';
    field('key-edit-quota').dispatchEvent(new Event('input'));
    field('key-edit-rps').value = '2.5';
    field('key-edit-rps').dispatchEvent(new Event('input'));
    element.querySelector<HTMLButtonElement>('[data-testid="key-save"]')!.click();
    const patch = http.expectOne((r) => r.url === '/api/providers/openai/keys/0' && r.method === 'PATCH');
    expect(patch.request.body).toEqual({
      label: 'k1',
      weight: 1,
      enabled: true,
      quotaLimit: null,
      rateLimitRps: 2.5,
    });
    patch.flush({});
    await settle(fixture);
    TestBed.inject(I18nService).lang.set('zh-CN');
    fixture.componentRef.setInput('keys', [keyView(0, { rateLimitRps: 2.5 })]);
    await settle(fixture);
    expect(element.querySelector('[data-testid="key-limits"]')!.textContent).toBe('2.5 次/秒');
  });

  it('adds a key, and restores one that failed authentication', async () => {
    const { fixture, element } = await render([keyView(0, { state: 'auth_failed' })]);
    const secret = element.querySelector<HTMLInputElement>('[data-testid="key-add-secret"]')!;
    secret.value = ' sk-new-key-123456 ';
    secret.dispatchEvent(new Event('input'));
    await settle(fixture);
    element.querySelector<HTMLButtonElement>('[data-testid="key-add"]')!.click();
    const post = http.expectOne((r) => r.url === '/api/providers/openai/keys' && r.method === 'POST');
    expect(post.request.body).toEqual({ key: 'sk-new-key-123456' });
    post.flush({});
    await settle(fixture);
    expect(secret.value).toBe('');

    element.querySelector<HTMLButtonElement>('[data-testid="key-restore"]')!.click();
    http.expectOne((r) => r.url === '/api/providers/openai/keys/0/restore' && r.method === 'POST').flush({});
    await settle(fixture);
  });
});
