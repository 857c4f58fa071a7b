import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

const ENDPOINTS = ['chat', 'messages', 'responses', 'completions', 'embeddings'] as const;

/** `POST /api/routing/simulate`. */
export class RouteSimulationInputDto {
  @ApiPropertyOptional({ description: 'The model a client would ask for (else the request’s `model`)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  model?: string;

  @ApiPropertyOptional({
    description: 'A whole request body as a client would send it: its model and prompt are used',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  request?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ENDPOINTS, description: 'The API the request would come in on; default chat' })
  @IsOptional()
  @IsIn(ENDPOINTS)
  endpoint?: (typeof ENDPOINTS)[number];
}

class ComplexityViewDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) simple!: string | null;
  @ApiProperty({ type: String, nullable: true }) moderate!: string | null;
  @ApiProperty({ type: String, nullable: true }) complex!: string | null;
}

class CascadeViewDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [String] }) models!: string[];
  @ApiProperty() maxRetries!: number;
}

export class RoutingViewDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Alias -> model' })
  aliases!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Glob -> provider' })
  providerMapping!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Glob -> model' })
  modelOverrides!: Record<string, string>;

  @ApiProperty({ type: ComplexityViewDto }) complexity!: ComplexityViewDto;
  @ApiProperty({ type: CascadeViewDto }) cascade!: CascadeViewDto;
  @ApiProperty({ enum: ['round-robin', 'random', 'weighted'] }) keyStrategy!: string;

  @ApiProperty({
    type: [String],
    description: 'Every model a client can ask for now (model@provider, aliases)',
  })
  availableModels!: string[];
}

class SimulatedKeyDto {
  @ApiProperty() label!: string;
  @ApiProperty({ example: 'cooling' }) state!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Epoch ms when a resting key is back' })
  cooldownUntil!: number | null;
}

class SimulatedTargetDto {
  @ApiProperty() provider!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ enum: ['requested', 'cascade'] }) stage!: string;
  @ApiProperty() why!: string;
  @ApiProperty({ description: 'Would be tried now: provider enabled and a key can be leased' })
  usable!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'all 2 keys cooling, first back in 27 s' })
  skipReason!: string | null;
  @ApiProperty({ type: [SimulatedKeyDto] }) keys!: SimulatedKeyDto[];
}

class ComplexityScoreDto {
  @ApiProperty() score!: number;
  @ApiProperty({ enum: ['simple', 'moderate', 'complex'] }) tier!: string;
}

export class RouteSimulationDto {
  @ApiProperty() requested!: string;
  @ApiProperty({ description: 'After aliases, overrides and complexity routing' }) resolved!: string;
  @ApiProperty({ type: [String] }) steps!: string[];
  @ApiProperty({ type: [SimulatedTargetDto] }) targets!: SimulatedTargetDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Unknown model: the message a client would get' })
  error!: string | null;
  @ApiProperty({ type: ComplexityScoreDto, nullable: true }) complexity!: ComplexityScoreDto | null;
}
