import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import {
  AllowedModelsField,
  BudgetField,
  ExpiresAtField,
  MAX_REQUESTS_PER_MINUTE,
  MAX_TOKENS_PER_DAY,
  PositiveIntField,
} from './relay-key-fields';

/** `POST /api/keys`. */
export class CreateRelayKeyDto {
  @ApiProperty({ description: 'A name to recognise the key by (1-100 characters)', example: 'laptop' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  name!: string;

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
