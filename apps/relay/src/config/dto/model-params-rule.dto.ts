import { nonEmptyStringRule } from './config-rules';
import { MappingField, StringField } from './config-fields';

/** `{model_pattern, params, system_prompt}`: used by `model_routing.model_params` (and per provider). */
export class ModelParamsRuleDto {
  @StringField(nonEmptyStringRule('a glob such as gpt-4o*'), { required: true })
  model_pattern?: string;

  @MappingField('body params')
  params?: Record<string, unknown>;

  @StringField()
  system_prompt?: string;
}
