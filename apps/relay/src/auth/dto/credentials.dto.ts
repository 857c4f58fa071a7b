import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Passwords longer than this are refused before hashing (the rules allow 256 characters). */
const PASSWORD_FIELD_MAX = 1024;

/** `POST /api/auth/login`. */
export class LoginDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  username!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_FIELD_MAX)
  password!: string;
}

/** Fields of a new local account. */
class NewAccountDto {
  @ApiProperty({ example: 'alice', description: '2-64 letters, digits, ".", "_" or "-"' })
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ format: 'password', description: 'At least auth.password_min_length characters' })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  password!: string;

  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'Alice' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string;
}

/** `POST /api/setup`: the first account, proven by the access key. */
export class SetupDto extends NewAccountDto {
  @ApiProperty({
    description: 'The relay’s access key (server.access_key, or data/access_key when it was generated)',
  })
  @IsString()
  @MaxLength(1024)
  accessKey!: string;
}

/** `POST /api/auth/signup`. */
export class SignupDto extends NewAccountDto {
  @ApiPropertyOptional({ description: 'Invite token (from the invite link); needed unless auth.open_signup' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  invite?: string;
}

/** `POST /api/users` (admin). */
export class CreateUserDto extends NewAccountDto {
  @ApiPropertyOptional({ enum: ['user', 'admin', 'superadmin'], default: 'user' })
  @IsOptional()
  @IsIn(['user', 'admin', 'superadmin'])
  role?: 'user' | 'admin' | 'superadmin';
}

/** `POST /api/auth/password`. */
export class ChangePasswordDto {
  @ApiPropertyOptional({ format: 'password', description: 'Required when the account has a password' })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  currentPassword?: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  newPassword!: string;
}

/** `POST /api/users/:id/password` (admin reset). */
export class ResetPasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  password!: string;
}
