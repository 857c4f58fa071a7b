import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ProviderHealth } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { HEALTH_LABELS, healthTone } from './provider-labels';

/** A provider's health as a coloured badge. */
@Component({
  selector: 'mr-health-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [class]="classes()" data-testid="provider-health" [attr.data-health]="health()">{{
    t(labels[health()])
  }}</span>`,
})
export class HealthBadgeComponent {
  readonly health = input.required<ProviderHealth>();
  protected readonly t = inject(I18nService).t;
  protected readonly labels = HEALTH_LABELS;
  protected readonly classes = computed(() => `badge ${healthTone(this.health())}`);
}
