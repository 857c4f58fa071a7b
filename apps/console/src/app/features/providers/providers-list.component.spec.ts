import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { I18nService } from '../../core/i18n/i18n.service';
import { keyView, providerView, settle } from './provider-fixtures';
import { ProvidersListComponent } from './providers-list.component';

describe('ProvidersListComponent', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  const PROVIDERS = [
    providerView('openai', {
      keys: [
        keyView(0, { masked: 'sk-...abcd', label: 'main' }),
        keyView(1, { masked: 'sk-...wxyz', state: 'cooling', cooldownUntil: Date.now() + 20_000 }),
      ],
      health: 'degraded',
      stats24h: { requests: 1234, errors: 62, errorRate: 0.05, latencyP50Ms: 420, tokens: 10, costUsd: 0.5 },
    }),
    providerView('groq', { enabled: false, health: 'disabled', keys: [] }),
  ];

  async function render() {
    const fixture = TestBed.createComponent(ProvidersListComponent);
    fixture.detectChanges();
    http.expectOne((r) => r.url === '/api/providers' && r.method === 'GET').flush(PROVIDERS);
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows each provider with its health, 24 h numbers and masked keys', async () => {
    const { fixture, element } = await render();
    const cards = [...element.querySelectorAll<HTMLElement>('[data-testid="provider-card"]')];
    expect(cards.map((card) => card.dataset['name'])).toEqual(['openai', 'groq']);

    const [openai, groq] = cards;
    const health = openai.querySelector<HTMLElement>('[data-testid="provider-health"]')!;
    expect(health.textContent?.trim()).toBe('Degraded');
    expect(health.classList).toContain('run');
    expect(openai.querySelector('[data-testid="provider-base-url"]')!.textContent).toBe(
      'https://openai.example/v1',
    );
    expect(openai.querySelector('[data-testid="provider-requests"]')!.textContent?.trim()).toBe('1,234');
    expect(openai.textContent).toContain('5 %');
    expect(openai.textContent).toContain('420 ms');
    expect(openai.querySelector('[data-testid="provider-key-count"]')!.textContent?.trim()).toBe(
      '1 of 2 available',
    );
    const keys = [...openai.querySelectorAll('[data-testid="provider-card-key"]')].map((k) => k.textContent);
    expect(keys[0]).toContain('sk-...abcd');
    expect(keys[0]).toContain('main');
    expect(keys[0]).toContain('Available');
    expect(keys[1]).toContain('sk-...wxyz');
    expect(keys[1]).toContain('Cooling down');
    expect(openai.querySelector('[data-testid="provider-card-countdown"]')!.textContent).toMatch(
      /^back in (19|20) s$/,
    );

    expect(groq.querySelector('[data-testid="provider-health"]')!.textContent?.trim()).toBe('Disabled');
    expect(groq.querySelector<HTMLInputElement>('[data-testid="provider-enabled"]')!.checked).toBe(false);
    expect(openai.querySelector<HTMLInputElement>('[data-testid="provider-enabled"]')!.checked).toBe(true);
    fixture.destroy();
  });

  it('the enabled switch saves through PATCH and reloads the list', async () => {
    const { fixture, element } = await render();
    const toggle = element.querySelectorAll<HTMLInputElement>('[data-testid="provider-enabled"]')[1];
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    const patch = http.expectOne((r) => r.url === '/api/providers/groq' && r.method === 'PATCH');
    expect(patch.request.body).toEqual({ enabled: true });
    patch.flush({ ...PROVIDERS[1], enabled: true, health: 'healthy' });
    await settle(fixture);
    http
      .expectOne((r) => r.url === '/api/providers' && r.method === 'GET')
      .flush([PROVIDERS[0], { ...PROVIDERS[1], enabled: true, health: 'healthy' }]);
    await settle(fixture);
    const groq = element.querySelectorAll('[data-testid="provider-card"]')[1];
    expect(groq.querySelector('[data-testid="provider-health"]')!.textContent?.trim()).toBe('Healthy');
    fixture.destroy();
  });

  it('Add provider opens the new-provider form on the page; Cancel closes it', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="provider-add"]')!.click();
    await settle(fixture);
    expect(element.querySelector('[data-testid="provider-create"] [data-testid="pf-name"]')).not.toBeNull();
    expect(element.querySelector('[data-testid="provider-add"]')).toBeNull();
    element.querySelector<HTMLButtonElement>('[data-testid="provider-create-cancel"]')!.click();
    await settle(fixture);
    expect(element.querySelector('[data-testid="provider-create"]')).toBeNull();
    fixture.destroy();
  });

  it('asks again every 3 s while shown, and stops when the page is left', async () => {
    vi.useFakeTimers();
    try {
      const fixture = TestBed.createComponent(ProvidersListComponent);
      fixture.detectChanges();
      http.expectOne('/api/providers').flush(PROVIDERS);
      await vi.advanceTimersByTimeAsync(3000);
      http.expectOne('/api/providers').flush(PROVIDERS);
      fixture.destroy();
      await vi.advanceTimersByTimeAsync(9000);
      http.expectNone('/api/providers');
    } finally {
      vi.useRealTimers();
    }
  });

  it('an answer to a poll sent before a change never overwrites the reload after it', async () => {
    vi.useFakeTimers();
    try {
      const fixture = TestBed.createComponent(ProvidersListComponent);
      fixture.detectChanges();
      http.expectOne('/api/providers').flush(PROVIDERS);
      await vi.advanceTimersByTimeAsync(3000);
      const stalePoll = http.expectOne('/api/providers');
      const element = fixture.nativeElement as HTMLElement;
      const groqToggle = element.querySelectorAll<HTMLInputElement>('[data-testid="provider-enabled"]')[1];
      groqToggle.checked = true;
      groqToggle.dispatchEvent(new Event('change'));
      http.expectOne((r) => r.method === 'PATCH').flush({});
      await vi.advanceTimersByTimeAsync(0);
      const enabled = [PROVIDERS[0], { ...PROVIDERS[1], enabled: true, health: 'healthy' as const }];
      http.expectOne('/api/providers').flush(enabled);
      stalePoll.flush(PROVIDERS);
      await vi.advanceTimersByTimeAsync(50);
      const groq = element.querySelectorAll('[data-testid="provider-card"]')[1];
      expect(groq.querySelector('[data-testid="provider-health"]')!.textContent?.trim()).toBe('Healthy');
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
