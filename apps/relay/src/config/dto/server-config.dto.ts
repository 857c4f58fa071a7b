import { ACCEPTED_LOG_LEVELS } from '../log-level';
import { nonEmptyStringRule } from './config-rules';
import { BooleanField, EnumField, IntField, StringField, StringListField } from './config-fields';

export class ServerConfigDto {
  @StringField(nonEmptyStringRule('a host name or address such as 0.0.0.0'))
  host?: string;

  @IntField({ min: 0, max: 65535 })
  port?: number;

  @StringField()
  access_key?: string;

  @BooleanField()
  access_key_enabled?: boolean;

  @StringListField()
  cors_origins?: string[];

  @StringField()
  public_host?: string;

  @EnumField(ACCEPTED_LOG_LEVELS, { ignoreCase: true })
  log_level?: string;

  @BooleanField()
  turnstile_enabled?: boolean;

  @StringField()
  turnstile_site_key?: string;

  @StringField()
  turnstile_secret_key?: string;

  @StringField()
  jwt_secret?: string;
}
