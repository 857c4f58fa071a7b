import { httpUrlRule } from './config-rules';
import {
  AnyListField,
  BlockField,
  BooleanField,
  EnumField,
  IntListField,
  ListField,
  MappingField,
  NumberField,
  IntField,
  StringField,
  StringListField,
  StringMapField,
} from './config-fields';
import { ModelParamsRuleDto } from './model-params-rule.dto';
import { ProviderKeyDto } from './provider-key.dto';
import { WebReverseConfigDto } from './web-reverse-config.dto';

export const PROVIDER_TYPES = ['api', 'anthropic', 'web_reverse', 'local'] as const;

export class ModelFilterDto {
  @StringListField()
  include?: string[];

  @StringListField()
  exclude?: string[];
}

export class RetryConfigDto {
  @BooleanField()
  enabled?: boolean;

  @IntField({ min: 0 })
  max_retries?: number;

  @IntListField({ min: 100, max: 599 })
  retry_on_status?: number[];

  @StringListField()
  retry_on_errors?: string[];

  @NumberField({ above: 0 })
  backoff_factor?: number;

  @NumberField({ min: 0 })
  backoff_max?: number;
}

export class IgnoreConfigDto {
  @BooleanField()
  enabled?: boolean;

  @StringListField()
  ignore_errors?: string[];
}

/** MonoRelay's header overrides; kept and validated, not interpreted yet. */
export class CloakingDto {
  @StringField()
  user_agent?: string;

  @StringField()
  referer?: string;

  @StringField()
  origin?: string;

  @StringField()
  accept?: string;

  @StringField()
  accept_language?: string;

  @StringField()
  tls_fingerprint_profile?: string;
}

export class ProviderConfigDto {
  @BooleanField()
  enabled?: boolean;

  @EnumField(PROVIDER_TYPES)
  provider_type?: string;

  @StringField(httpUrlRule)
  base_url?: string;

  @ListField(() => ProviderKeyDto, 'keys', (key) => ({ key }))
  keys?: ProviderKeyDto[];

  @StringMapField('header names to values')
  headers?: Record<string, string>;

  @NumberField({ above: 0 })
  timeout?: number;

  @NumberField({ min: 0 })
  first_token_timeout?: number;

  @NumberField({ min: 0 })
  rate_limit_cooldown?: number;

  @BlockField(() => ModelFilterDto)
  models?: ModelFilterDto;

  @StringField()
  test_model?: string;

  @StringField()
  console_url?: string;

  @NumberField({ min: 0 })
  cost_per_m_input?: number;

  @NumberField({ min: 0 })
  cost_per_m_output?: number;

  @BlockField(() => RetryConfigDto)
  retry?: RetryConfigDto;

  @BlockField(() => IgnoreConfigDto)
  ignore?: IgnoreConfigDto;

  @MappingField('body params')
  params?: Record<string, unknown>;

  @StringField()
  system_prompt?: string;

  @ListField(() => ModelParamsRuleDto, 'rules')
  model_params?: ModelParamsRuleDto[];

  @BlockField(() => CloakingDto)
  cloaking?: CloakingDto;

  @BlockField(() => WebReverseConfigDto)
  web_reverse?: WebReverseConfigDto | null;

  /** Written by MonoRelay's admin API; entries may be names or model objects. */
  @AnyListField()
  remote_models_cache?: unknown[];
}
