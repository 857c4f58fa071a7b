import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, ValidateIf } from 'class-validator';
import {
  AllowedModelsField,
  BudgetField,
  ExpiresAtField,
  MAX_REQUESTS_PER_MINUTE,
  MAX_TOKENS_PER_DAY,
  PositiveIntField,
} from './relay-key-fields';

/** `PATCH /api/keys/:id`: only the fields given change; null clears an expiry, model list or limit. */
export class UpdateRelayKeyDto {
  @ApiPropertyOptional({ description: 'A new name (1-100 characters)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @ValidateIf((dto: UpdateRelayKeyDto) => dto.name !== undefined)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ExpiresAtField()
  expiresAt?: number | null;

  @AllowedModelsField()
  allowedModels?: string[] | null;

  @PositiveIntField('Requests per minute (sliding window)', MAX_REQUESTS_PER_MINUTE)
  requestsPerMinute?: number | null;

  @PositiveIntField('Input + output tokens per UTC day', MAX_TOKENS_PER_DAY)
  tokensPerDay?: number | null;

  @BudgetField('Spend per UTC day')
  budgetUsdPerDay?: number | null;

  @BudgetField('Spend per UTC month')
  budgetUsdPerMonth?: number | null;
}
