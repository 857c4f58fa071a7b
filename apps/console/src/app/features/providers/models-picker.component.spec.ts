import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { I18nService } from '../../core/i18n/i18n.service';
import { ModelsPickerComponent } from './models-picker.component';
import { settle } from './provider-fixtures';

describe('ModelsPickerComponent', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  async function fetchModels(include: string[]) {
    const fixture = TestBed.createComponent(ModelsPickerComponent);
    fixture.componentRef.setInput('providerName', 'openai');
    fixture.componentRef.setInput('include', include);
    let saved = 0;
    fixture.componentInstance.saved.subscribe(() => saved++);
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;
    element.querySelector<HTMLButtonElement>('[data-testid="models-fetch"]')!.click();
    http
      .expectOne((r) => r.url === '/api/providers/openai/models' && r.method === 'GET')
      .flush({
        models: [
          { id: 'gpt-4o', included: true },
          { id: 'gpt-4o-mini', included: false },
          { id: 'o1', included: true },
        ],
        error: null,
      });
    await settle(fixture);
    return { fixture, element, saved: () => saved };
  }

  const box = (element: HTMLElement, model: string) =>
    element.querySelector<HTMLInputElement>(`[data-testid="model-option"][data-model="${model}"]`)!;

  it('lists the upstream models preselected from the include list and saves the picked ones via PATCH', async () => {
    const { fixture, element, saved } = await fetchModels(['gpt-4o', 'o1']);
    expect([
      box(element, 'gpt-4o').checked,
      box(element, 'gpt-4o-mini').checked,
      box(element, 'o1').checked,
    ]).toEqual([true, false, true]);
    box(element, 'o1').click();
    box(element, 'gpt-4o-mini').click();
    await settle(fixture);
    element.querySelector<HTMLButtonElement>('[data-testid="models-save"]')!.click();
    const patch = http.expectOne((r) => r.url === '/api/providers/openai' && r.method === 'PATCH');
    expect(patch.request.body).toEqual({ modelsInclude: ['gpt-4o', 'gpt-4o-mini'] });
    patch.flush({});
    await settle(fixture);
    expect(saved()).toBe(1);
    expect(element.querySelector('[data-testid="models-saved"]')!.textContent).toContain('2 entries');
  });

  it('keeps include entries the upstream does not list (globs), and the filter limits Select none', async () => {
    const { fixture, element } = await fetchModels(['gpt-4o', 'o1*']);
    expect(element.querySelector('[data-testid="models-kept"]')!.textContent).toContain('o1*');
    const filter = element.querySelector<HTMLInputElement>('[data-testid="models-filter"]')!;
    filter.value = 'gpt';
    filter.dispatchEvent(new Event('input'));
    await settle(fixture);
    expect(element.querySelectorAll('[data-testid="model-option"]').length).toBe(2);
    element.querySelector<HTMLButtonElement>('[data-testid="models-none"]')!.click();
    await settle(fixture);
    element.querySelector<HTMLButtonElement>('[data-testid="models-save"]')!.click();
    const patch = http.expectOne((r) => r.url === '/api/providers/openai' && r.method === 'PATCH');
    expect(patch.request.body).toEqual({ modelsInclude: ['o1', 'o1*'] });
  });
});
