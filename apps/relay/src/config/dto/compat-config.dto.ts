import { Checked } from './config-fields';
import { booleanRule, mappingRule } from './config-rules';

/** Ours: per-provider overrides of what the provider preset assumes about an upstream's API. */
export class CompatConfigDto {
  /** Provider name -> whether it serves `POST /responses` (else the relay translates to chat). */
  @Checked(mappingRule(booleanRule, 'provider names to true/false'))
  responses_api?: Record<string, boolean>;
}
