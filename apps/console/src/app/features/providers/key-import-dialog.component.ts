import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProviderKeyImport, ProviderKeyImportResult } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { ProvidersApiService, describeError } from './providers-api.service';

type ImportFormat = NonNullable<ProviderKeyImport['format']>;

/** The format a picked file is read as, from its name (the relay guesses for anything else). */
export function formatOfFile(fileName: string): ImportFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.txt')) return 'lines';
  return 'auto';
}

/**
 * Many provider keys at once: pasted text or a .txt/.csv/.json file, sent to the relay, which
 * answers how many were added, how many it already had, and which lines it could not read.
 */
@Component({
  selector: 'mr-key-import-dialog',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown.escape)': 'closed.emit()' },
  styles: `
    .backdrop {
      position: fixed;
      inset: 0;
      z-index: 20;
      background: color-mix(in srgb, #000 45%, transparent);
      display: flex;
      align-items: flex-start;
      justify-content: center;
      padding: 4rem 0.75rem 1rem;
      overflow-y: auto;
    }
    .dialog {
      width: 100%;
      max-width: 40rem;
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
    }
    .dialog h2 {
      margin: 0;
    }
    textarea {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 12.5px;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 6px;
      padding: 0.5rem;
      min-height: 10rem;
      resize: vertical;
      width: 100%;
    }
    .row {
      display: flex;
      gap: 0.75rem;
      flex-wrap: wrap;
      align-items: flex-end;
    }
    .row label {
      flex: 1 1 12rem;
      min-width: 0;
    }
    .file {
      flex: 1 1 12rem;
      min-width: 0;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.2rem 0.5rem;
    }
    .file-title {
      flex-basis: 100%;
      font-size: 13px;
      color: var(--muted);
    }
    .file-button {
      flex-direction: row;
      color: var(--text);
      font-size: 14px;
    }
    .file-button:focus-within {
      outline: 2px solid var(--accent);
      outline-offset: 1px;
    }
    .file-name {
      overflow-wrap: anywhere;
      min-width: 0;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
      overflow: hidden;
    }
    .counts {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .rejected {
      margin: 0;
      padding-left: 1.2rem;
      overflow-wrap: anywhere;
    }
    .buttons {
      display: flex;
      gap: 0.5rem;
      justify-content: flex-end;
      flex-wrap: wrap;
    }
  `,
  template: `
    <div class="backdrop" (click)="closeOnBackdrop($event)">
      <section
        class="card dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="key-import-title"
        data-testid="key-import-dialog"
      >
        <h2 id="key-import-title">{{ t('providers.import.title', { name: providerName() }) }}</h2>
        <p class="hint">{{ t('providers.import.help') }}</p>
        <label
          >{{ t('providers.import.text') }}
          <textarea
            data-testid="key-import-text"
            spellcheck="false"
            autocomplete="off"
            placeholder="sk-...,label,1"
            [ngModel]="text()"
            (ngModelChange)="text.set($event)"
          ></textarea>
        </label>
        <div class="row">
          <div class="file">
            <span class="file-title">{{ t('providers.import.file') }}</span>
            <label class="button file-button">
              <input
                type="file"
                class="visually-hidden"
                accept=".txt,.csv,.json,text/plain,text/csv,application/json"
                data-testid="key-import-file"
                (change)="readFile($event)"
              />
              {{ t('providers.import.chooseFile') }}
            </label>
            <span class="muted small-text file-name" data-testid="key-import-file-name">{{
              fileName() || t('providers.import.noFile')
            }}</span>
          </div>
          <label
            >{{ t('providers.import.format') }}
            <select data-testid="key-import-format" [ngModel]="format()" (ngModelChange)="format.set($event)">
              <option value="auto">{{ t('providers.import.format.auto') }}</option>
              <option value="lines">{{ t('providers.import.format.lines') }}</option>
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
            </select>
          </label>
        </div>
        @if (error()) {
          <p class="error" role="alert" data-testid="key-import-error">{{ error() }}</p>
        }
        @if (result(); as r) {
          <div data-testid="key-import-result">
            <div class="counts">
              <span class="badge ok" data-testid="key-import-added">{{
                t('providers.import.added', { n: r.added })
              }}</span>
              <span class="badge" data-testid="key-import-duplicates">{{
                t('providers.import.duplicates', { n: r.duplicates })
              }}</span>
              <span class="badge" [class.bad]="r.rejected.length > 0" data-testid="key-import-rejected">{{
                t('providers.import.rejected', { n: r.rejected.length })
              }}</span>
            </div>
            @if (r.rejected.length > 0) {
              <ul class="rejected small-text">
                @for (item of r.rejected; track $index) {
                  <li>{{ t('providers.import.line', { line: item.line }) }}: {{ item.reason }}</li>
                }
              </ul>
            }
          </div>
        }
        <div class="buttons">
          <button type="button" data-testid="key-import-close" (click)="closed.emit()">
            {{ result() ? t('providers.import.done') : t('providers.cancel') }}
          </button>
          <button
            type="button"
            class="primary"
            data-testid="key-import-submit"
            [disabled]="busy() || !text().trim()"
            (click)="submit()"
          >
            {{ busy() ? t('providers.import.importing') : t('providers.import.submit') }}
          </button>
        </div>
      </section>
    </div>
  `,
})
export class KeyImportDialogComponent {
  readonly providerName = input.required<string>();
  readonly closed = output<void>();
  /** Keys were imported: the provider should be loaded again. */
  readonly imported = output<ProviderKeyImportResult>();
  protected readonly t = inject(I18nService).t;
  protected readonly busy = signal(false);
  protected readonly error = signal('');
  protected readonly result = signal<ProviderKeyImportResult | null>(null);
  protected readonly text = signal('');
  protected readonly format = signal<ImportFormat>('auto');
  protected readonly fileName = signal('');
  private readonly api = inject(ProvidersApiService);

  protected async readFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.text.set(await file.text());
    this.fileName.set(file.name);
    this.format.set(formatOfFile(file.name));
    this.result.set(null);
    this.error.set('');
  }

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set('');
    try {
      const result = await this.api.importKeys(this.providerName(), {
        text: this.text(),
        format: this.format(),
      });
      this.result.set(result);
      if (result.added > 0) this.text.set('');
      this.imported.emit(result);
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected closeOnBackdrop(event: MouseEvent): void {
    if (event.target === event.currentTarget) this.closed.emit();
  }
}
