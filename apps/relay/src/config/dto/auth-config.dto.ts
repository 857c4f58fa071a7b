import { BooleanField, EnumField, IntField, StringField, StringListField } from './config-fields';

export const ACCESS_KEY_ROLES = ['', 'user', 'admin', 'superadmin'] as const;

/** Ours: console sign-in, sessions, sign-up and the access key's standing on `/api`. */
export class AuthConfigDto {
  @EnumField(ACCESS_KEY_ROLES)
  access_key_role?: string;

  @StringField()
  session_secret?: string;

  @IntField({ min: 60 })
  access_token_ttl_seconds?: number;

  @IntField({ min: 1 })
  refresh_token_ttl_days?: number;

  @IntField({ min: 8 })
  password_min_length?: number;

  @BooleanField()
  open_signup?: boolean;

  @StringListField()
  allowed_email_domains?: string[];

  @IntField({ min: 1 })
  invite_ttl_hours?: number;

  @IntField({ min: 1 })
  login_attempts_per_account?: number;

  @IntField({ min: 1 })
  login_attempts_per_ip?: number;

  @IntField({ min: 1 })
  login_window_seconds?: number;
}
