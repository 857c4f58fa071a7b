import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  type AfterViewInit,
  type OnDestroy,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, forceLinting, lintGutter, linter } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import { tags } from '@lezer/highlight';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';

/** `GET /api/config` and the answer of a save. */
export interface ConfigView {
  yaml: string;
  path: string | null;
  source: 'override' | 'main' | 'defaults';
  savePath: string;
  hash: string;
}

export interface ConfigProblem {
  path: string;
  message: string;
  line: number | null;
  column: number | null;
}

export interface ConfigCheck {
  valid: boolean;
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

/** YAML colours from the console's theme variables, so light and dark both read well. */
const THEMED_YAML = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: 'var(--accent)' },
  { tag: tags.string, color: 'var(--ok)' },
  { tag: [tags.special(tags.string), tags.labelName, tags.typeName, tags.keyword], color: 'var(--run)' },
  { tag: tags.lineComment, color: 'var(--muted)', fontStyle: 'italic' },
  {
    tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace, tags.meta],
    color: 'var(--muted)',
  },
]);

/** Milliseconds of quiet typing before the text is sent to /api/config/validate. */
export const VALIDATE_DELAY_MS = 400;

/** Editor positions of the problems: the line and column given, else the first line. */
export function toDiagnostics(
  doc: { lines: number; line(n: number): { from: number; to: number } },
  problems: readonly ConfigProblem[],
  severity: 'error' | 'warning',
): Diagnostic[] {
  return problems.map((problem) => {
    const line = doc.line(Math.min(Math.max(problem.line ?? 1, 1), doc.lines));
    const from = Math.min(line.from + Math.max((problem.column ?? 1) - 1, 0), line.to);
    return {
      from,
      to: Math.max(line.to, from),
      severity,
      message: problem.path ? `${problem.path}: ${problem.message}` : problem.message,
    };
  });
}

/**
 * Admins: config.yml in a YAML editor. Every edit is checked by the relay (debounced) and its
 * problems are marked at their lines; Save writes data/config.yml and the relay applies it at once.
 * Secrets come masked (********) and a mask left as is keeps the saved secret.
 */
@Component({
  selector: 'mr-config',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .editor {
      border: 1px solid var(--border);
      border-radius: 8px;
      overflow: hidden;
      background: var(--surface);
    }
    .editor ::ng-deep .cm-editor {
      height: min(65vh, 720px);
      font-size: 13px;
    }
    .editor ::ng-deep .cm-editor.cm-focused {
      outline: none;
    }
    .editor ::ng-deep .cm-gutters {
      background: var(--surface-2);
      color: var(--muted);
      border-right: 1px solid var(--border);
    }
    .editor ::ng-deep .cm-content {
      color: var(--text);
      caret-color: var(--text);
    }
    .editor ::ng-deep .cm-cursor {
      border-left-color: var(--text);
    }
    .editor ::ng-deep .cm-selectionBackground,
    .editor ::ng-deep .cm-focused .cm-selectionBackground {
      background: color-mix(in srgb, var(--accent) 25%, transparent) !important;
    }
    .editor ::ng-deep .cm-activeLine,
    .editor ::ng-deep .cm-activeLineGutter {
      background: color-mix(in srgb, var(--accent) 8%, transparent);
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      margin: 12px 0;
    }
    .status {
      margin-left: auto;
    }
    .problems {
      list-style: none;
      padding: 0;
      margin: 12px 0;
    }
    .problems li {
      padding: 6px 10px;
      border-left: 3px solid var(--bad);
      background: var(--bad-bg);
      margin-bottom: 6px;
      border-radius: 4px;
      overflow-wrap: anywhere;
    }
    .problems li.warning {
      border-left-color: var(--run);
      background: var(--run-bg);
    }
    .problems button {
      all: unset;
      cursor: pointer;
      font-weight: 600;
      text-decoration: underline;
      margin-right: 6px;
    }
    .where {
      overflow-wrap: anywhere;
    }
  `,
  template: `
    <div class="page-head">
      <h1>{{ t('config.title') }}</h1>
    </div>
    @if (view(); as v) {
      <p class="muted where" data-testid="config-source">
        {{
          v.source === 'defaults'
            ? t('config.source.defaults', { save: v.savePath })
            : v.source === 'override'
              ? t('config.source.override', { path: v.path ?? '' })
              : t('config.source.main', { path: v.path ?? '', save: v.savePath })
        }}
        {{ t('config.secretsNote') }}
      </p>
    }
    @if (error()) {
      <p class="error" role="alert" data-testid="config-error">{{ error() }}</p>
    }
    @if (notice()) {
      <p class="notice" role="status" data-testid="config-saved">{{ notice() }}</p>
    }
    <div class="toolbar">
      <button
        type="button"
        class="primary"
        data-testid="config-save"
        [disabled]="!canSave()"
        (click)="save()"
      >
        {{ saving() ? t('config.saving') : t('config.save') }}
      </button>
      <button type="button" data-testid="config-reload" [disabled]="saving()" (click)="reload()">
        {{ t('config.reload') }}
      </button>
      <span class="status muted" data-testid="config-status">{{ statusText() }}</span>
    </div>
    <div class="editor" data-testid="config-editor" #host></div>
    @if (errors().length > 0 || warnings().length > 0) {
      <ul class="problems" data-testid="config-problems">
        @for (p of errors(); track $index) {
          <li data-testid="config-problem">
            @if (p.line !== null) {
              <button type="button" (click)="goTo(p)">{{ t('config.line', { line: p.line }) }}</button>
            }
            @if (p.path) {
              <code>{{ p.path }}</code>:
            }
            {{ p.message }}
          </li>
        }
        @for (p of warnings(); track $index) {
          <li class="warning" data-testid="config-warning">
            @if (p.line !== null) {
              <button type="button" (click)="goTo(p)">{{ t('config.line', { line: p.line }) }}</button>
            }
            @if (p.path) {
              <code>{{ p.path }}</code>:
            }
            {{ p.message }}
          </li>
        }
      </ul>
    }
  `,
})
export class ConfigComponent implements AfterViewInit, OnDestroy {
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  private readonly http = inject(HttpClient);
  private readonly host = viewChild.required<ElementRef<HTMLElement>>('host');

  protected readonly view = signal<ConfigView | null>(null);
  protected readonly errors = signal<ConfigProblem[]>([]);
  protected readonly warnings = signal<ConfigProblem[]>([]);
  /** null while the current text has not been checked yet. */
  protected readonly valid = signal<boolean | null>(null);
  protected readonly dirty = signal(false);
  protected readonly saving = signal(false);
  protected readonly error = signal('');
  protected readonly notice = signal('');
  protected readonly canSave = computed(
    () => this.valid() === true && this.dirty() && !this.saving() && this.view() !== null,
  );
  protected readonly statusText = computed(() => {
    if (this.view() === null) return this.t('common.loading');
    if (this.valid() === null) return this.t('config.checking');
    if (!this.valid()) return this.t('config.invalid', { count: this.errors().length });
    return this.dirty() ? this.t('config.valid') : this.t('config.unchanged');
  });

  private editor: EditorView | undefined;
  /** Set while the text is replaced by the program (load, save): not an edit. */
  private replacing = false;

  ngAfterViewInit(): void {
    this.editor = new EditorView({
      parent: this.host().nativeElement,
      extensions: [
        basicSetup,
        yaml(),
        syntaxHighlighting(THEMED_YAML),
        EditorView.lineWrapping,
        lintGutter(),
        linter((view) => this.check(view), { delay: VALIDATE_DELAY_MS }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged || this.replacing) return;
          this.dirty.set(true);
          this.valid.set(null);
          this.notice.set('');
        }),
        EditorView.contentAttributes.of({
          'aria-label': this.t('config.title'),
          'data-testid': 'config-text',
        }),
      ],
    });
    void this.reload();
  }

  ngOnDestroy(): void {
    this.editor?.destroy();
  }

  /** The editor's text (for tests and the page's own use). */
  get text(): string {
    return this.editor?.state.doc.toString() ?? '';
  }

  protected async reload(): Promise<void> {
    this.error.set('');
    this.notice.set('');
    try {
      this.show(await firstValueFrom(this.http.get<ConfigView>('/api/config')));
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  protected async save(): Promise<void> {
    const view = this.view();
    if (!view || !this.editor) return;
    this.saving.set(true);
    this.error.set('');
    this.notice.set('');
    try {
      const saved = await firstValueFrom(
        this.http.put<ConfigView & { warnings: ConfigProblem[] }>('/api/config', {
          yaml: this.text,
          baseHash: view.hash,
        }),
      );
      this.show(saved);
      this.warnings.set(saved.warnings);
      this.notice.set(this.t('config.saved', { path: saved.savePath }));
    } catch (error) {
      const problems =
        error instanceof HttpErrorResponse
          ? (error.error as { errors?: ConfigProblem[] } | null)?.errors
          : null;
      if (error instanceof HttpErrorResponse && error.status === 422 && problems) {
        this.errors.set(problems);
        this.valid.set(false);
        this.error.set(this.t('config.rejected'));
      } else if (error instanceof HttpErrorResponse && error.status === 409) {
        this.error.set(this.t('config.conflict'));
      } else {
        this.error.set(errorMessage(error));
      }
    } finally {
      this.saving.set(false);
    }
  }

  protected goTo(problem: ConfigProblem): void {
    if (!this.editor || problem.line === null) return;
    const doc = this.editor.state.doc;
    const [diagnostic] = toDiagnostics(doc, [problem], 'error');
    this.editor.dispatch({ selection: { anchor: diagnostic.from }, scrollIntoView: true });
    this.editor.focus();
  }

  private show(view: ConfigView): void {
    this.view.set(view);
    if (!this.editor) return;
    this.replacing = true;
    this.editor.dispatch({ changes: { from: 0, to: this.editor.state.doc.length, insert: view.yaml } });
    this.replacing = false;
    this.dirty.set(false);
    this.valid.set(null);
    forceLinting(this.editor);
  }

  /** The lint source: asks the relay, fills the list, answers the markers. */
  private async check(view: EditorView): Promise<Diagnostic[]> {
    const text = view.state.doc.toString();
    try {
      const result = await firstValueFrom(
        this.http.post<ConfigCheck>('/api/config/validate', { yaml: text }),
      );
      if (view.state.doc.toString() !== text) return [];
      this.errors.set(result.errors);
      this.warnings.set(result.warnings);
      this.valid.set(result.valid);
      return [
        ...toDiagnostics(view.state.doc, result.errors, 'error'),
        ...toDiagnostics(view.state.doc, result.warnings, 'warning'),
      ];
    } catch (error) {
      this.valid.set(false);
      this.error.set(errorMessage(error));
      return [];
    }
  }
}
