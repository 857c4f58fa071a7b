import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { RouteSimulation, RoutingView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { RoutingComponent } from './routing.component';
import { draftOf, routingOps } from './routing-draft';

const VIEW: RoutingView = {
  aliases: { fast: 'gpt-4o-mini' },
  providerMapping: { 'llama-*': 'groq' },
  modelOverrides: {},
  complexity: { enabled: false, simple: 'gpt-4o-mini', moderate: 'gpt-4o', complex: null },
  cascade: { enabled: true, models: ['gpt-4o', 'claude-haiku'], maxRetries: 2 },
  keyStrategy: 'round-robin',
  availableModels: ['gpt-4o-mini@openai', 'gpt-4o@openai', 'fast'],
};

describe('routingOps', () => {
  it('is empty for an untouched draft; a changed table is written whole, in order', () => {
    const draft = draftOf(VIEW);
    expect(routingOps(VIEW, draft)).toEqual([]);
    draft.aliases.unshift({ key: 'smart', value: 'gpt-4o' });
    draft.cascade.models.reverse();
    draft.complexity.complex = 'claude-sonnet';
    expect(routingOps(VIEW, draft)).toEqual([
      { path: ['model_routing', 'aliases'], value: { smart: 'gpt-4o', fast: 'gpt-4o-mini' } },
      { path: ['model_routing', 'complexity', 'complex'], value: 'claude-sonnet' },
      { path: ['model_routing', 'cascade', 'models'], value: ['claude-haiku', 'gpt-4o'] },
    ]);
  });
});

describe('RoutingComponent', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<RoutingComponent>;
  let element: HTMLElement;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  };
  const all = (testId: string) => [...element.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)];
  const one = <T extends HTMLElement = HTMLElement>(testId: string) =>
    element.querySelector<T>(`[data-testid="${testId}"]`)!;
  const type = async (input: HTMLInputElement | HTMLTextAreaElement, value: string) => {
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
    fixture = TestBed.createComponent(RoutingComponent);
    element = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http.expectOne({ method: 'GET', url: '/api/routing' }).flush(VIEW);
    await settle();
  });

  afterEach(() => {
    http.verify();
    fixture.destroy();
  });

  it('shows the tables; an added alias and a reordered cascade are saved with one PATCH', async () => {
    expect(all('aliases-key').map((input) => (input as HTMLInputElement).value)).toEqual(['fast']);
    expect(all('cascade-model').map((input) => (input as HTMLInputElement).value)).toEqual([
      'gpt-4o',
      'claude-haiku',
    ]);
    one('aliases-add').click();
    await settle();
    const keys = all('aliases-key') as HTMLInputElement[];
    const values = all('aliases-value') as HTMLInputElement[];
    await type(keys[1], 'brainy');
    await type(values[1], 'gpt-4o');
    all('cascade-down')[0].click();
    await settle();
    one('routing-save').click();
    await settle();

    const patch = http.expectOne({ method: 'PATCH', url: '/api/config' });
    expect(patch.request.body).toEqual({
      ops: [
        { path: ['model_routing', 'aliases'], value: { fast: 'gpt-4o-mini', brainy: 'gpt-4o' } },
        { path: ['model_routing', 'cascade', 'models'], value: ['claude-haiku', 'gpt-4o'] },
      ],
    });
    patch.flush({
      yaml: '',
      path: null,
      source: 'override',
      savePath: '/data/config.yml',
      hash: 'x',
      warnings: [],
    });
    await settle();
    http
      .expectOne({ method: 'GET', url: '/api/routing' })
      .flush({ ...VIEW, aliases: { fast: 'gpt-4o-mini', brainy: 'gpt-4o' } });
    await settle();
    expect(one('routing-saved').textContent).toContain('Saved');
  });

  it('a mapping to an unknown provider saves, and its warning shows at the row', async () => {
    await type(all('provider_mapping-value')[0] as HTMLInputElement, 'nobody');
    one('routing-save').click();
    await settle();
    const patch = http.expectOne({ method: 'PATCH', url: '/api/config' });
    expect(patch.request.body).toEqual({
      ops: [{ path: ['model_routing', 'provider_mapping'], value: { 'llama-*': 'nobody' } }],
    });
    const message = "provider 'nobody' is not defined under providers; this mapping never matches";
    patch.flush({
      warnings: [{ path: 'model_routing.provider_mapping["llama-*"]', message, line: 2, column: 3 }],
    });
    await settle();
    http
      .expectOne({ method: 'GET', url: '/api/routing' })
      .flush({ ...VIEW, providerMapping: { 'llama-*': 'nobody' } });
    await settle();
    expect(one('routing-provider_mapping').querySelector('[data-testid="field-warning"]')!.textContent).toBe(
      message,
    );
  });

  it('a row without a value is not sent; the relay’s problems show at their fields', async () => {
    one('aliases-add').click();
    await settle();
    await type(all('aliases-key')[1] as HTMLInputElement, 'half');
    one('routing-save').click();
    await settle();
    http.expectNone({ method: 'PATCH', url: '/api/config' });
    expect(one('routing-error').textContent).toContain('Fix the marked fields');

    await type(all('aliases-value')[1] as HTMLInputElement, 'nowhere');
    one('routing-save').click();
    await settle();
    http.expectOne({ method: 'PATCH', url: '/api/config' }).flush(
      {
        error: { message: 'invalid configuration: nothing was saved', code: 'invalid_config' },
        errors: [
          { path: 'model_routing.aliases.half', message: 'must name a known model', line: 3, column: 5 },
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle();
    const rows = all('routing-row');
    const halfRow = rows.find((row) => row.querySelector<HTMLInputElement>('input')!.value === 'half')!;
    expect(halfRow.querySelector('[data-testid="field-error"]')!.textContent).toContain(
      'must name a known model',
    );
    expect(one('routing-error').textContent).toContain('model_routing.aliases.half');
  });

  it('the simulator posts the model and shows targets, skip reasons and cooling keys counting down', async () => {
    await type(one<HTMLInputElement>('sim-model'), 'fast');
    one('sim-run').click();
    await settle();
    const request = http.expectOne({ method: 'POST', url: '/api/routing/simulate' });
    expect(request.request.body).toEqual({ model: 'fast', endpoint: 'chat' });
    const now = Date.now();
    const result: RouteSimulation = {
      requested: 'fast',
      resolved: 'gpt-4o-mini',
      steps: ['alias fast -> gpt-4o-mini', 'gpt-4o-mini -> gpt-4o-mini@openai'],
      targets: [
        {
          provider: 'openai',
          model: 'gpt-4o-mini',
          stage: 'requested',
          why: 'alias fast -> gpt-4o-mini; include list of openai: listed',
          usable: false,
          skipReason: 'all 2 keys cooling, first back in 27 s',
          keys: [
            { label: 'k1', state: 'cooling', cooldownUntil: now + 26_500 },
            { label: 'k2', state: 'cooling', cooldownUntil: now + 40_000 },
          ],
        },
        {
          provider: 'backup',
          model: 'gpt-4o',
          stage: 'cascade',
          why: 'include list of backup: listed',
          usable: true,
          skipReason: null,
          keys: [{ label: 'b1', state: 'available', cooldownUntil: null }],
        },
      ],
      error: null,
      complexity: null,
    };
    request.flush(result);
    await settle();
    expect(one('sim-resolved').textContent).toBe('gpt-4o-mini');
    expect(all('sim-target-name').map((el) => el.textContent)).toEqual([
      'gpt-4o-mini@openai',
      'gpt-4o@backup',
    ]);
    expect(all('sim-target-usable').map((el) => el.textContent?.trim())).toEqual([
      'skipped now',
      'would be tried',
    ]);
    expect(one('sim-skip').textContent).toContain('2 × cooling');
    expect(one('sim-skip').textContent).toContain('first key is back in 27 s');
    expect(all('sim-key-countdown').map((el) => el.textContent)).toEqual(['back in 27 s', 'back in 40 s']);
    expect(one('sim-steps').textContent).toContain('alias fast -> gpt-4o-mini');
  });

  it('the simulator says, in the page language, when a provider API cannot answer the endpoint', async () => {
    await type(one<HTMLInputElement>('sim-model'), 'claude-sonnet-4');
    one('sim-run').click();
    await settle();
    const request = http.expectOne({ method: 'POST', url: '/api/routing/simulate' });
    request.flush({
      requested: 'claude-sonnet-4',
      resolved: 'claude-sonnet-4',
      steps: [],
      targets: [
        {
          provider: 'claude',
          model: 'claude-sonnet-4',
          stage: 'requested',
          why: 'include list of claude: listed',
          usable: false,
          skipReason: 'cannot serve embeddings (its API is anthropic)',
          keys: [{ label: 'c1', state: 'available', cooldownUntil: null }],
        },
      ],
      error: null,
      complexity: null,
    } satisfies RouteSimulation);
    await settle();
    expect(one('sim-skip').textContent?.trim()).toBe(
      'Its API (anthropic) cannot answer embeddings requests.',
    );
    TestBed.inject(I18nService).lang.set('zh-CN');
    await settle();
    expect(one('sim-skip').textContent?.trim()).toBe('其 API（anthropic）无法处理 embeddings 请求。');
  });

  it('a pasted request is sent as a request; an unknown model shows the client’s error', async () => {
    one('sim-mode-request').click();
    await settle();
    await type(one<HTMLTextAreaElement>('sim-request'), '{ not json');
    one('sim-run').click();
    await settle();
    expect(one('sim-error').textContent).toContain('not valid JSON');
    const body = { model: 'auto', messages: [{ role: 'user', content: 'hello' }] };
    await type(one<HTMLTextAreaElement>('sim-request'), JSON.stringify(body));
    one('sim-run').click();
    await settle();
    const request = http.expectOne({ method: 'POST', url: '/api/routing/simulate' });
    expect(request.request.body).toEqual({ request: body, endpoint: 'chat' });
    request.flush({
      requested: 'auto',
      resolved: 'auto',
      steps: [],
      targets: [],
      error: "The model 'auto' does not exist. Available models: fast",
      complexity: null,
    } satisfies RouteSimulation);
    await settle();
    expect(one('sim-unknown').textContent).toContain("The model 'auto' does not exist");
  });
});
