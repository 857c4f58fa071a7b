import { httpUrlRule } from './config-rules';
import { BooleanField, EnumField, StringField, StringListField } from './config-fields';

export const SSO_PROVIDERS = ['github', 'google', 'prismaauth'] as const;

export class SsoConfigDto {
  @BooleanField()
  enabled?: boolean;

  @EnumField(SSO_PROVIDERS)
  provider?: string;

  @StringField(httpUrlRule)
  prismaauth_url?: string;

  @StringField()
  client_id?: string;

  @StringField()
  client_secret?: string;

  @StringListField()
  scopes?: string[];

  @StringField()
  github_client_id?: string;

  @StringField()
  github_client_secret?: string;

  @StringField()
  google_client_id?: string;

  @StringField()
  google_client_secret?: string;

  @BooleanField()
  local_sso_enabled?: boolean;

  @StringField()
  local_sso_secret?: string;

  @BooleanField()
  sso_only?: boolean;

  @StringListField()
  admin_usernames?: string[];

  @StringListField()
  allowed_github_orgs?: string[];

  @StringListField()
  allowed_google_domains?: string[];

  @StringField(httpUrlRule)
  github_base_url?: string;

  @StringField(httpUrlRule)
  github_api_url?: string;

  @StringField(httpUrlRule)
  google_authorization_url?: string;

  @StringField(httpUrlRule)
  google_token_url?: string;

  @StringField(httpUrlRule)
  google_userinfo_url?: string;
}
