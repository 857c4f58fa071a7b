import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { I18nService } from '../core/i18n/i18n.service';

/** Copies `text` to the clipboard (with a fallback for plain-HTTP pages, where the Clipboard API is off). */
@Component({
  selector: 'mr-copy-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" class="copy" data-testid="copy" (click)="copy()">
    {{ copied() ? t('common.copied') : t('common.copy') }}
  </button>`,
})
export class CopyButtonComponent {
  readonly text = input.required<string>();
  protected readonly t = inject(I18nService).t;
  protected readonly copied = signal(false);

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text());
    } catch {
      const area = document.createElement('textarea');
      area.value = this.text();
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    this.copied.set(true);
    setTimeout(() => this.copied.set(false), 1500);
  }
}
