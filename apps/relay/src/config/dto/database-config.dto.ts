import { urlRule } from './config-rules';
import { StringField } from './config-fields';

export class DatabaseConfigDto {
  /** Empty: embedded SQLite under the data directory. */
  @StringField(urlRule())
  url?: string;
}
