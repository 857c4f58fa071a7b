import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ProviderKeyImportResult } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { KeyImportDialogComponent, formatOfFile } from './key-import-dialog.component';
import { providerView, settle } from './provider-fixtures';

describe('KeyImportDialogComponent', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  it('posts the pasted text and shows what was added, already there and rejected', async () => {
    const fixture = TestBed.createComponent(KeyImportDialogComponent);
    fixture.componentRef.setInput('providerName', 'openai');
    const imported: ProviderKeyImportResult[] = [];
    fixture.componentInstance.imported.subscribe((result) => imported.push(result));
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;
    const submit = element.querySelector<HTMLButtonElement>('[data-testid="key-import-submit"]')!;
    expect(submit.disabled).toBe(true);

    const text = 'sk-one-1111111111,first\nsk-two-2222222222\nnot a key at all\nsk-one-1111111111';
    const area = element.querySelector<HTMLTextAreaElement>('[data-testid="key-import-text"]')!;
    area.value = text;
    area.dispatchEvent(new Event('input'));
    await settle(fixture);
    expect(submit.disabled).toBe(false);
    submit.click();

    const request = http.expectOne(
      (r) => r.url === '/api/providers/openai/keys/import' && r.method === 'POST',
    );
    expect(request.request.body).toEqual({ text, format: 'auto' });
    const result: ProviderKeyImportResult = {
      added: 2,
      duplicates: 1,
      rejected: [{ line: 3, reason: 'not a key' }],
      provider: providerView('openai'),
    };
    request.flush(result);
    await settle(fixture);

    expect(element.querySelector('[data-testid="key-import-added"]')!.textContent?.trim()).toBe('2 added');
    expect(element.querySelector('[data-testid="key-import-duplicates"]')!.textContent?.trim()).toBe(
      '1 already there',
    );
    expect(element.querySelector('[data-testid="key-import-rejected"]')!.textContent?.trim()).toBe(
      '1 rejected',
    );
    expect(element.querySelector('[data-testid="key-import-result"]')!.textContent).toContain(
      'Line 3: not a key',
    );
    expect(imported).toEqual([result]);
    expect(area.value).toBe('');
  });

  it('shows the relay’s error when the import is refused', async () => {
    const fixture = TestBed.createComponent(KeyImportDialogComponent);
    fixture.componentRef.setInput('providerName', 'openai');
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;
    const area = element.querySelector<HTMLTextAreaElement>('[data-testid="key-import-text"]')!;
    area.value = '[not json';
    area.dispatchEvent(new Event('input'));
    await settle(fixture);
    element.querySelector<HTMLButtonElement>('[data-testid="key-import-submit"]')!.click();
    http
      .expectOne('/api/providers/openai/keys/import')
      .flush(
        { error: { message: 'The JSON could not be read', type: 'invalid_request_error', code: 'bad_json' } },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);
    expect(element.querySelector('[data-testid="key-import-error"]')!.textContent).toContain(
      'The JSON could not be read',
    );
  });

  it('reads a picked file’s format from its name', () => {
    expect(formatOfFile('keys.JSON')).toBe('json');
    expect(formatOfFile('keys.csv')).toBe('csv');
    expect(formatOfFile('keys.txt')).toBe('lines');
    expect(formatOfFile('keys')).toBe('auto');
  });
});
