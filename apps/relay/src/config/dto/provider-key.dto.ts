import { isoDateRule } from './config-rules';
import { BlockField, BooleanField, IntField, MappingField, NumberField, StringField } from './config-fields';

export class UsageWindowLimitsDto {
  @IntField({ min: 0 })
  window_5h?: number;

  @IntField({ min: 0 })
  window_1d?: number;

  @IntField({ min: 0 })
  window_7d?: number;
}

export class ProviderKeyDto {
  @StringField(undefined, { required: true })
  key?: string;

  @StringField()
  label?: string;

  @NumberField({ min: 0 })
  weight?: number;

  @BooleanField()
  enabled?: boolean;

  @IntField({ min: 0 })
  quota_limit?: number;

  /** MonoRelay kept a usage counter here; accepted and ignored (usage lives in shared state). */
  @IntField({ min: 0 })
  quota_used?: number;

  @NumberField({ min: 0 })
  rate_limit_rps?: number;

  @StringField(isoDateRule)
  expires_at?: string;

  @MappingField()
  metadata?: Record<string, unknown>;

  @BlockField(() => UsageWindowLimitsDto)
  usage_window_limits?: UsageWindowLimitsDto;
}
