import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { I18nService } from '../../core/i18n/i18n.service';
import { ProviderDetailComponent } from './provider-detail.component';
import { keyView, providerView, settle } from './provider-fixtures';

describe('ProviderDetailComponent', () => {
  let http: HttpTestingController;

  function configure(name: string): void {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ name })) } },
      ],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  }

  const input = (element: HTMLElement, testId: string) =>
    element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;

  function type(element: HTMLElement, testId: string, value: string): void {
    const field = input(element, testId);
    field.value = value;
    field.dispatchEvent(new Event('input'));
  }

  it('shows the relay’s per-field problems when a save is refused', async () => {
    configure('openai');
    const fixture = TestBed.createComponent(ProviderDetailComponent);
    fixture.detectChanges();
    http
      .expectOne('/api/providers/openai')
      .flush(providerView('openai', { keys: [keyView(0, { masked: 'sk-...abcd' })], timeout: 30 }));
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid="key-masked"]')!.textContent).toBe('sk-...abcd');
    expect(input(element, 'pf-timeout').value).toBe('30');
    type(element, 'pf-base-url', 'not a url');
    await settle(fixture);
    element.querySelector<HTMLButtonElement>('[data-testid="provider-save"]')!.click();
    const patch = http.expectOne((r) => r.url === '/api/providers/openai' && r.method === 'PATCH');
    expect(patch.request.body.name).toBeUndefined();
    expect(patch.request.body.baseUrl).toBe('not a url');
    expect(patch.request.body.timeout).toBe(30);
    patch.flush(
      {
        error: {
          message: 'Invalid provider settings',
          type: 'invalid_request_error',
          code: 'invalid_config',
        },
        errors: [{ path: 'providers.openai.base_url', message: 'must be a URL', line: null, column: null }],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle(fixture);
    expect(element.querySelector('[data-testid="provider-error"]')!.textContent).toContain(
      'Invalid provider settings',
    );
    expect(
      element.querySelector('[data-testid="provider-problems"]')!.textContent?.replace(/\s+/g, ' '),
    ).toContain('providers.openai.base_url: must be a URL');
    // What was typed stays in the form.
    expect(input(element, 'pf-base-url').value).toBe('not a url');
    fixture.destroy();
  });

  it('polling shows the newest state and never undoes the form reset a save asked for', async () => {
    configure('openai');
    vi.useFakeTimers();
    try {
      const fixture = TestBed.createComponent(ProviderDetailComponent);
      fixture.detectChanges();
      http.expectOne('/api/providers/openai').flush(providerView('openai'));
      await vi.advanceTimersByTimeAsync(50);
      const element = fixture.nativeElement as HTMLElement;
      const include = () => input(element, 'pf-include').value;
      const saved = providerView('openai', { modelsInclude: ['gpt-4o'] });
      const reload = (fixture.componentInstance as unknown as { reload(reset: boolean): Promise<void> })
        .reload;

      // A poll goes out, then a save reloads with a form reset: the poll's older answer comes last.
      await vi.advanceTimersByTimeAsync(3000);
      const stalePoll = http.expectOne('/api/providers/openai');
      void reload.call(fixture.componentInstance, true);
      http.expectOne('/api/providers/openai').flush(saved);
      stalePoll.flush(providerView('openai'));
      await vi.advanceTimersByTimeAsync(50);
      expect(include()).toBe('gpt-4o');

      // A reset reload, then a poll overtakes it: the poll's answer does the reset.
      const resetting = { ...saved, modelsInclude: ['o1'] };
      void reload.call(fixture.componentInstance, true);
      const resetLoad = http.expectOne('/api/providers/openai');
      await vi.advanceTimersByTimeAsync(3000);
      http.expectOne('/api/providers/openai').flush(resetting);
      resetLoad.flush(saved);
      await vi.advanceTimersByTimeAsync(50);
      expect(include()).toBe('o1');
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
