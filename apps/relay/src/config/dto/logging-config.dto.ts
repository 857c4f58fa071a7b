import { nonEmptyStringRule } from './config-rules';
import { BooleanField, IntField, StringField } from './config-fields';

export class LoggingConfigDto {
  @BooleanField()
  enabled?: boolean;

  @StringField(nonEmptyStringRule('a file path'))
  db_path?: string;

  @IntField({ min: 0 })
  max_age_days?: number;

  @IntField({ min: 0 })
  content_preview_length?: number;
}
