import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { StatsFigures, StatsResult } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { DashboardComponent } from './dashboard.component';

const TOTALS: StatsFigures = {
  requests: 1234,
  errors: 12,
  errorRate: 12 / 1234,
  inputTokens: 1000,
  outputTokens: 500,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0.5,
  latencyP50Ms: 210,
  latencyP95Ms: 900,
  firstTokenP50Ms: 80,
  firstTokenP95Ms: 300,
  tokensPerSecond: 42.25,
};

function result(groupKey: string): StatsResult {
  return {
    from: 0,
    to: 1,
    bucket: 'hour',
    totals: TOTALS,
    series: [{ t: 0, figures: TOTALS }],
    groups: [{ key: groupKey, figures: TOTALS }],
  };
}

describe('DashboardComponent', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  async function settle(fixture: { detectChanges(): void; whenStable(): Promise<unknown> }): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
    await fixture.whenStable();
  }

  it('shows the totals with both percentiles and tokens/s, and asks by provider when switched', async () => {
    const fixture = TestBed.createComponent(DashboardComponent);
    fixture.detectChanges();
    await fixture.whenStable();
    const first = http.expectOne((r) => r.url === '/api/stats');
    expect(first.request.params.get('group_by')).toBe('model');
    expect(first.request.params.get('bucket')).toBe('hour');
    first.flush(result('gpt-4o'));
    await settle(fixture);
    const page: HTMLElement = fixture.nativeElement;
    expect(page.querySelector('[data-testid="total-requests"]')?.textContent).toContain('1,234');
    expect(page.querySelector('[data-testid="first-token"]')?.textContent).toContain('80 / 300 ms');
    expect(page.querySelector('[data-testid="tokens-per-second"]')?.textContent).toContain('42.3');

    (page.querySelector('[data-testid="breakdown-provider"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    await fixture.whenStable();
    const second = http.expectOne((r) => r.url === '/api/stats');
    expect(second.request.params.get('group_by')).toBe('provider');
    second.flush(result('openai'));
    await settle(fixture);
    expect(page.textContent).toContain('Top providers');
    http.verify();
  });
});
