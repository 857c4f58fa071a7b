import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Text } from '@codemirror/state';
import { I18nService } from '../../core/i18n/i18n.service';
import { ConfigComponent, type ConfigView, VALIDATE_DELAY_MS, toDiagnostics } from './config.component';

const VIEW: ConfigView = {
  yaml: 'server:\n  access_key: "********"\nlogging:\n  max_age_days: 7\n',
  path: '/etc/monorelay/config.yml',
  source: 'main',
  savePath: '/var/lib/monorelay/config.yml',
  hash: 'a'.repeat(64),
};

describe('toDiagnostics', () => {
  const doc = Text.of(['server:', '  port: abc', '']);

  it('puts a problem at its line and column, to the end of the line', () => {
    const [d] = toDiagnostics(doc, [{ path: 'server.port', message: 'bad', line: 2, column: 9 }], 'error');
    expect(d).toEqual({ from: 16, to: 19, severity: 'error', message: 'server.port: bad' });
  });

  it('a problem without a position goes to the first line; lines past the end to the last', () => {
    const [none, past] = toDiagnostics(
      doc,
      [
        { path: '', message: 'broken', line: null, column: null },
        { path: '', message: 'late', line: 99, column: 1 },
      ],
      'warning',
    );
    expect(none.from).toBe(0);
    expect(none.message).toBe('broken');
    expect(past.from).toBe(doc.line(doc.lines).from);
  });
});

describe('ConfigComponent', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  async function settle(fixture: { whenStable(): Promise<unknown> }, ms = 0): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await fixture.whenStable();
  }

  it('loads the masked text, checks it, and marks the problems the relay reports', async () => {
    const fixture = TestBed.createComponent(ConfigComponent);
    fixture.detectChanges();
    http.expectOne((r) => r.url === '/api/config' && r.method === 'GET').flush(VIEW);
    await settle(fixture);
    expect(fixture.componentInstance.text).toBe(VIEW.yaml);

    await settle(fixture, VALIDATE_DELAY_MS + 100);
    const check = http.expectOne((r) => r.url === '/api/config/validate');
    expect(check.request.body).toEqual({ yaml: VIEW.yaml });
    check.flush({
      valid: false,
      errors: [{ path: 'logging.max_age_days', message: 'must be a number', line: 4, column: 17 }],
      warnings: [],
    });
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;
    const problems = [...element.querySelectorAll('[data-testid="config-problem"]')];
    expect(problems.length).toBe(1);
    expect(problems[0].textContent).toContain('Line 4');
    expect(problems[0].textContent).toContain('logging.max_age_days');
    const save = element.querySelector<HTMLButtonElement>('[data-testid="config-save"]')!;
    expect(save.disabled).toBe(true);
    fixture.destroy();
  });
});
