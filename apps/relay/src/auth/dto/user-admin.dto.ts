import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** `PATCH /api/users/:id`: only the fields given change. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ['user', 'admin', 'superadmin'] })
  @IsOptional()
  @IsIn(['user', 'admin', 'superadmin'])
  role?: 'user' | 'admin' | 'superadmin';

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string;
}

/** `POST /api/users/invites`. */
export class CreateInviteDto {
  @ApiPropertyOptional({ enum: ['user', 'admin'], default: 'user', description: 'admin: superadmins only' })
  @IsOptional()
  @IsIn(['user', 'admin'])
  role?: 'user' | 'admin';

  @ApiPropertyOptional({ description: 'Only this e-mail address may use the invite' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}
