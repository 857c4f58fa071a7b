import { httpUrlRule } from './config-rules';
import { BooleanField, StringField, StringMapField } from './config-fields';

/** `providers.<name>.web_reverse`: ChatGPT web settings (MonoRelay's keys, all accepted). */
export class WebReverseConfigDto {
  @StringField()
  pow_difficulty?: string;

  @BooleanField()
  conversation_only?: boolean;

  @BooleanField()
  enable_limit?: boolean;

  @BooleanField()
  history_disabled?: boolean;

  @StringField(httpUrlRule)
  proxy_url?: string;

  @StringField()
  turnstile_solver_url?: string;

  @StringField()
  ark0se_token_url?: string;

  @StringField(httpUrlRule)
  chatgpt_base_url?: string;

  @StringMapField('client model names to web model names')
  model_mapping?: Record<string, string>;
}
