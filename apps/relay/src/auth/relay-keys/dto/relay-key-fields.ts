import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Max,
  MaxLength,
  ValidateBy,
} from 'class-validator';

export const MAX_REQUESTS_PER_MINUTE = 100_000;
export const MAX_TOKENS_PER_DAY = 1_000_000_000_000;
export const MAX_BUDGET_USD = 1_000_000;
export const MAX_MODEL_GLOBS = 100;

/**
 * `expiresAt`: an ISO 8601 time (`2026-01-31T00:00:00Z`) or epoch milliseconds, in the future;
 * null: never expires.
 */
export function ExpiresAtField() {
  return applyDecorators(
    ApiPropertyOptional({
      description: 'When the key stops working: ISO 8601 or epoch ms, in the future; null = never',
      oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }],
      nullable: true,
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => toEpochMs(value)),
    ValidateBy({
      name: 'isFutureTime',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && value > Date.now(),
        defaultMessage: () => 'expiresAt must be a time in the future (ISO 8601 or epoch milliseconds)',
      },
    }),
  );
}

/** Model globs (`gpt-4o*`, `claude-*`); null = any model. */
export function AllowedModelsField() {
  return applyDecorators(
    ApiPropertyOptional({
      description: 'Model globs the key may request (fnmatch, case-insensitive); null = any model',
      type: [String],
      nullable: true,
      example: ['gpt-4o*', 'claude-sonnet-*'],
    }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1, { message: 'allowedModels must list at least one glob (or be null for any model)' }),
    ArrayMaxSize(MAX_MODEL_GLOBS),
    IsString({ each: true }),
    IsNotEmpty({ each: true, message: 'each allowedModels glob must be a non-empty string' }),
    MaxLength(200, { each: true }),
  );
}

export function PositiveIntField(description: string, max: number) {
  return applyDecorators(
    ApiPropertyOptional({
      description: `${description}; null = no limit`,
      type: Number,
      minimum: 1,
      nullable: true,
    }),
    IsOptional(),
    IsInt(),
    IsPositive(),
    Max(max),
  );
}

export function BudgetField(description: string) {
  return applyDecorators(
    ApiPropertyOptional({
      description: `${description} (USD, priced by pricing.models, the provider's prices or the built-in table); null = no limit`,
      type: Number,
      minimum: 0,
      exclusiveMinimum: true,
      nullable: true,
    }),
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    IsPositive(),
    Max(MAX_BUDGET_USD),
  );
}

function toEpochMs(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? value : parsed;
}
