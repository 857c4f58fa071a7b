import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';

/** No whitespace, and not a mask (`********` stands for a saved secret in the config editor). */
const SECRET = /^(?!\*+$)\S+$/;
const SECRET_MESSAGE = 'key must be a key: no whitespace, not a mask';
const FINITE = { allowNaN: false, allowInfinity: false };

/** A key's settings besides the secret; null clears a limit. */
class ProviderKeySettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @ApiPropertyOptional({ description: 'Share of traffic under the weighted strategy' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  weight?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Successful requests allowed; null = unlimited',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  quotaLimit?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Requests per second; null = unlimited' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  rateLimitRps?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'ISO 8601; null = never' })
  @IsOptional()
  @IsISO8601()
  expiresAt?: string | null;
}

/** `PATCH /api/providers/:name/keys/:index`: any subset; `key` only to replace the secret. */
export class UpdateProviderKeyDto extends ProviderKeySettingsDto {
  @ApiPropertyOptional({ description: 'The new secret, or a ${VAR} reference; never answered' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @Matches(SECRET, { message: SECRET_MESSAGE })
  key?: string;
}

/** `POST /api/providers/:name/keys` (and each key of a new provider). */
export class NewProviderKeyDto extends ProviderKeySettingsDto {
  @ApiProperty({ description: 'The secret, or a ${VAR} reference; never answered' })
  @IsString()
  @MaxLength(4096)
  @Matches(SECRET, { message: SECRET_MESSAGE })
  key!: string;
}

/** `POST /api/providers/:name/keys/import`. */
export class ImportProviderKeysDto {
  @ApiProperty({
    description:
      'One key per line (`key` or `key,label[,weight]`), CSV with a header row (key,label,weight,enabled), or a JSON array of keys or key objects',
  })
  @IsString()
  @MaxLength(1024 * 1024)
  text!: string;

  @ApiPropertyOptional({ enum: ['auto', 'lines', 'csv', 'json'], default: 'auto' })
  @IsOptional()
  @IsIn(['auto', 'lines', 'csv', 'json'])
  format?: 'auto' | 'lines' | 'csv' | 'json';
}

/** `POST /api/providers/:name/test`. */
export class TestProviderDto {
  @ApiPropertyOptional({ description: 'Default: test_model, else the first plain models.include entry' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;
}
