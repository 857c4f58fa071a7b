import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProviderType } from '@monorelay/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { NewProviderKeyDto } from './provider-key-input.dto';

export const PROVIDER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PROVIDER_TYPES: readonly ProviderType[] = ['api', 'anthropic', 'web_reverse', 'local'];
const FINITE = { allowNaN: false, allowInfinity: false };

/** A provider's settings; null resets a setting to its default. */
class ProviderSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: PROVIDER_TYPES })
  @IsOptional()
  @IsIn(PROVIDER_TYPES)
  providerType?: ProviderType;

  @ApiPropertyOptional({ description: 'e.g. https://api.openai.com/v1; empty = the preset’s' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  baseUrl?: string;

  @ApiPropertyOptional({ description: 'Seconds' })
  @IsOptional()
  @IsNumber(FINITE)
  @IsPositive()
  timeout?: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Seconds; null = off' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  firstTokenTimeout?: number | null;

  @ApiPropertyOptional({ description: 'Seconds' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  rateLimitCooldown?: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  testModel?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Model names and globs this provider serves' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  modelsInclude?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Globs of models this provider never serves' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  modelsExclude?: string[];

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'USD per 1M input tokens' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  costPerMInput?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'USD per 1M output tokens' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  costPerMOutput?: number | null;
}

/** `PATCH /api/providers/:name`: any subset of the settings. */
export class UpdateProviderDto extends ProviderSettingsDto {
  @ApiPropertyOptional({ description: 'Only the provider’s own name (renaming is not supported)' })
  @IsOptional()
  @IsString()
  name?: string;
}

/** `POST /api/providers`. */
export class CreateProviderDto extends ProviderSettingsDto {
  @ApiProperty({ pattern: PROVIDER_NAME.source })
  @IsString()
  @Matches(PROVIDER_NAME, { message: 'name must be 1-64 letters, digits, `_` or `-`' })
  name!: string;

  @ApiPropertyOptional({ type: [NewProviderKeyDto], description: 'Keys to start with' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => NewProviderKeyDto)
  keys?: NewProviderKeyDto[];
}
