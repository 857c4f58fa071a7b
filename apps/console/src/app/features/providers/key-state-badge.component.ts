import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ProviderKeyState } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { KEY_STATE_LABELS, keyStateTone } from './provider-labels';

/** A provider key's pool state as a coloured badge. */
@Component({
  selector: 'mr-key-state-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [class]="classes()" data-testid="key-state" [attr.data-state]="state()">{{
    t(labels[state()])
  }}</span>`,
})
export class KeyStateBadgeComponent {
  readonly state = input.required<ProviderKeyState>();
  protected readonly t = inject(I18nService).t;
  protected readonly labels = KEY_STATE_LABELS;
  protected readonly classes = computed(() => `badge ${keyStateTone(this.state())}`);
}
