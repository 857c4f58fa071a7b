import { BooleanField, StringField } from './config-fields';

export class SyncConfigDto {
  @BooleanField()
  enabled?: boolean;

  @StringField()
  gist_id?: string;

  @StringField()
  gist_id_stats?: string;
}
