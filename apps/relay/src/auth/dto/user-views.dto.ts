import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  CreatedInvite,
  InviteView,
  LinkedIdentity,
  MeView,
  SessionView,
  SetupStatus,
  UserView,
} from '@monorelay/contracts';

// Response shapes for the OpenAPI document (the handlers return the `@monorelay/contracts` types).

export class IdentityDto implements LinkedIdentity {
  @ApiProperty({ enum: ['github', 'google'] })
  provider!: 'github' | 'google';

  @ApiProperty()
  username!: string;
}

export class UserDto implements UserView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ enum: ['superadmin', 'admin', 'user'] })
  role!: 'superadmin' | 'admin' | 'user';

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ description: 'The account can sign in with a password' })
  hasPassword!: boolean;

  @ApiProperty({ type: [IdentityDto] })
  identities!: IdentityDto[];

  @ApiProperty({ description: 'Epoch ms' })
  createdAt!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Epoch ms' })
  lastLoginAt!: number | null;
}

/** `id` is null for the access key. */
export class MeDto extends UserDto implements MeView {
  @ApiProperty({ enum: ['user', 'access_key'] })
  kind!: 'user' | 'access_key';
}

export class SessionDto implements SessionView {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ description: 'Also set as the mr_access cookie; for Authorization: Bearer in scripts' })
  accessToken!: string;

  @ApiProperty({ description: 'Seconds the access token is valid' })
  expiresIn!: number;
}

export class SetupStatusDto implements SetupStatus {
  @ApiProperty({ description: 'No account exists yet' })
  needsSetup!: boolean;
}

export class InviteDto implements InviteView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['user', 'admin'] })
  role!: 'user' | 'admin';

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ description: 'Id of the user who made it (or "access key")' })
  createdBy!: string;

  @ApiProperty()
  createdAt!: number;

  @ApiProperty()
  expiresAt!: number;

  @ApiPropertyOptional({ type: Number, nullable: true })
  usedAt!: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  usedBy!: string | null;

  @ApiProperty({ enum: ['pending', 'used', 'expired'] })
  state!: 'pending' | 'used' | 'expired';
}

export class CreatedInviteDto extends InviteDto implements CreatedInvite {
  @ApiProperty({ description: 'Shown once' })
  token!: string;

  @ApiProperty({ example: 'https://relay.example.com/#/signup?invite=TOKEN' })
  url!: string;
}
