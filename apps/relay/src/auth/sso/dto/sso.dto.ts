import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SsoProvider } from '../sso-providers';

/** One sign-in button. */
export class SsoProviderDto {
  @ApiProperty({ enum: ['github', 'google'] })
  id!: SsoProvider;

  @ApiProperty({ example: 'GitHub' })
  name!: string;

  @ApiProperty({ example: '/api/auth/sso/github/login', description: 'Where the button navigates (GET)' })
  loginUrl!: string;
}

/** `GET /api/auth/sso/status`: what the console's sign-in page offers. */
export class SsoStatusDto {
  @ApiProperty({ description: 'sso.enabled and at least one provider configured' })
  enabled!: boolean;

  @ApiProperty({ type: [SsoProviderDto], description: 'The configured providers (client id and secret set)' })
  providers!: SsoProviderDto[];

  @ApiProperty({ enum: ['github', 'google'], nullable: true, type: String })
  defaultProvider!: SsoProvider | null;

  @ApiProperty({ description: 'sso.sso_only: password sign-in is turned off' })
  ssoOnly!: boolean;
}

export class SsoLoginQueryDto {
  @ApiPropertyOptional({
    description:
      'A path on this relay to land on after sign-in (default "/"). Anything else (another origin, "//host") is ignored.',
    example: '/#/logs',
  })
  returnTo?: string;

  @ApiPropertyOptional({ description: 'An invite token (from an invite link): a new account gets its role' })
  invite?: string;
}

export class SsoLinkQueryDto {
  @ApiPropertyOptional({ description: 'A path on this relay to land on afterwards (default "/")' })
  returnTo?: string;
}
