import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { I18nService } from '../../core/i18n/i18n.service';
import { providerView, settle } from './provider-fixtures';
import { ProviderTestPanelComponent } from './provider-test-panel.component';

describe('ProviderTestPanelComponent', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  async function render() {
    const fixture = TestBed.createComponent(ProviderTestPanelComponent);
    fixture.componentRef.setInput('provider', providerView('openai', { testModel: 'gpt-4o-mini' }));
    await settle(fixture);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('runs one call with the typed model and shows latency, status and the answer', async () => {
    const { fixture, element } = await render();
    const model = element.querySelector<HTMLInputElement>('[data-testid="provider-test-model"]')!;
    expect(model.placeholder).toBe('Default: gpt-4o-mini');
    model.value = 'gpt-4o';
    model.dispatchEvent(new Event('input'));
    element.querySelector<HTMLButtonElement>('[data-testid="provider-test"]')!.click();
    const request = http.expectOne((r) => r.url === '/api/providers/openai/test' && r.method === 'POST');
    expect(request.request.body).toEqual({ model: 'gpt-4o' });
    request.flush({
      ok: true,
      model: 'gpt-4o',
      keyLabel: 'main',
      latencyMs: 318,
      status: 200,
      answer: 'Hello! I am here.',
      error: null,
    });
    await settle(fixture);
    const result = element.querySelector<HTMLElement>('[data-testid="provider-test-result"]')!;
    expect(result.dataset['ok']).toBe('true');
    expect(element.querySelector('[data-testid="provider-test-latency"]')!.textContent?.trim()).toBe(
      '318 ms',
    );
    expect(element.querySelector('[data-testid="provider-test-status"]')!.textContent?.trim()).toBe(
      'HTTP 200',
    );
    expect(element.querySelector('[data-testid="provider-test-answer"]')!.textContent).toBe(
      'Hello! I am here.',
    );
    expect(result.textContent).toContain('Key: main');
  });

  it('an empty model field leaves the choice to the relay; a failed call shows why', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="provider-test"]')!.click();
    const request = http.expectOne('/api/providers/openai/test');
    expect(request.request.body).toEqual({});
    request.flush({
      ok: false,
      model: 'gpt-4o-mini',
      keyLabel: null,
      latencyMs: 41,
      status: 401,
      answer: null,
      error: 'Incorrect API key provided',
    });
    await settle(fixture);
    expect(element.querySelector<HTMLElement>('[data-testid="provider-test-result"]')!.dataset['ok']).toBe(
      'false',
    );
    expect(element.querySelector('[data-testid="provider-test-failure"]')!.textContent).toContain(
      'Incorrect API key provided',
    );
    expect(element.querySelector('[data-testid="provider-test-answer"]')).toBeNull();
    expect(element.querySelector('[data-testid="provider-test-latency"]')!.textContent?.trim()).toBe('41 ms');
  });
});
