import { urlRule } from './config-rules';
import { StringField } from './config-fields';

export class RedisConfigDto {
  /** Empty: shared state stays in this process. */
  @StringField(urlRule(['redis', 'rediss']))
  url?: string;
}
