import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { I18nService } from '../../core/i18n/i18n.service';
import { ProviderCreateComponent } from './provider-create.component';
import { providerView, settle } from './provider-fixtures';

describe('ProviderCreateComponent', () => {
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

  function type(element: HTMLElement, testId: string, value: string): void {
    const field = element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
    field.value = value;
    field.dispatchEvent(new Event('input'));
  }

  async function fillIn() {
    const fixture = TestBed.createComponent(ProviderCreateComponent);
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;
    const save = element.querySelector<HTMLButtonElement>('[data-testid="provider-save"]')!;
    expect(save.disabled).toBe(true);
    type(element, 'pf-name', 'fake');
    type(element, 'pf-base-url', 'http://127.0.0.1:9999/v1');
    type(element, 'pf-key', 'sk-fake-0001');
    type(element, 'pf-key-label', 'first');
    await settle(fixture);
    expect(save.disabled).toBe(false);
    save.click();
    return { fixture, element };
  }

  it('creates a provider with its first key, then opens it', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const { fixture } = await fillIn();
    const post = http.expectOne((r) => r.url === '/api/providers' && r.method === 'POST');
    expect(post.request.body).toEqual({
      name: 'fake',
      enabled: true,
      providerType: 'api',
      baseUrl: 'http://127.0.0.1:9999/v1',
      testModel: null,
      modelsInclude: [],
      modelsExclude: [],
      firstTokenTimeout: null,
      costPerMInput: null,
      costPerMOutput: null,
      keys: [{ key: 'sk-fake-0001', label: 'first' }],
    });
    post.flush(providerView('fake'), { status: 201, statusText: 'Created' });
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith(['/providers', 'fake']);
  });

  it('stays on the form with the relay’s reason when the name is taken', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const { fixture, element } = await fillIn();
    http.expectOne('/api/providers').flush(
      {
        error: { message: 'provider fake exists', type: 'invalid_request_error', code: 'provider_exists' },
      },
      { status: 409, statusText: 'Conflict' },
    );
    await settle(fixture);
    expect(element.querySelector('[data-testid="provider-error"]')!.textContent).toContain(
      'provider fake exists',
    );
    expect(navigate).not.toHaveBeenCalled();
    expect(element.querySelector<HTMLInputElement>('[data-testid="pf-name"]')!.value).toBe('fake');
  });
});
