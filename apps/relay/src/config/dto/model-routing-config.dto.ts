import {
  BlockField,
  BooleanField,
  EnumField,
  IntField,
  ListField,
  MappingField,
  StringField,
  StringListField,
  StringMapField,
} from './config-fields';
import { ModelParamsRuleDto } from './model-params-rule.dto';

export class ComplexityConfigDto {
  @BooleanField()
  enabled?: boolean;

  @StringField()
  simple?: string;

  @StringField()
  moderate?: string;

  @StringField()
  complex?: string;
}

export class CascadeConfigDto {
  @BooleanField()
  enabled?: boolean;

  @StringListField()
  models?: string[];

  @IntField({ min: 0 })
  max_retries?: number;
}

export class PayloadTransformationRuleDto {
  @StringListField()
  models?: string[];

  @MappingField('body params')
  inject_params?: Record<string, unknown>;

  @MappingField('body params')
  override_params?: Record<string, unknown>;
}

export class PayloadTransformationDto {
  @BooleanField()
  enabled?: boolean;

  @ListField(() => PayloadTransformationRuleDto, 'rules')
  rules?: PayloadTransformationRuleDto[];
}

export class GlobalParamsDto {
  @BooleanField()
  enabled?: boolean;

  @EnumField(['default', 'override'])
  mode?: string;

  @MappingField('body params')
  params?: Record<string, unknown>;

  @StringField()
  system_prompt?: string;
}

export class ModelRoutingConfigDto {
  @BooleanField()
  enabled?: boolean;

  @StringField()
  mode?: string;

  @StringMapField('aliases to model names')
  aliases?: Record<string, string>;

  @StringMapField('model globs to provider names')
  provider_mapping?: Record<string, string>;

  @StringMapField('model globs to model names')
  model_overrides?: Record<string, string>;

  @BlockField(() => ComplexityConfigDto)
  complexity?: ComplexityConfigDto;

  @BlockField(() => CascadeConfigDto)
  cascade?: CascadeConfigDto;

  @BlockField(() => PayloadTransformationDto)
  payload_transformation?: PayloadTransformationDto;

  @BlockField(() => GlobalParamsDto)
  global_params?: GlobalParamsDto;

  @ListField(() => ModelParamsRuleDto, 'rules')
  model_params?: ModelParamsRuleDto[];
}
