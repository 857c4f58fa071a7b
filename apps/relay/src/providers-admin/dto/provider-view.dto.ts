import { ApiProperty } from '@nestjs/swagger';
import type { ProviderHealth, ProviderKeyState, ProviderType } from '@monorelay/contracts';

const KEY_STATES: readonly ProviderKeyState[] = [
  'available',
  'cooling',
  'backing_off',
  'auth_failed',
  'over_quota',
  'rate_limited',
  'expired',
  'disabled',
];

export class ProviderKeyViewDto {
  @ApiProperty({ description: 'Position in the provider’s keys: the id of the key routes' })
  index!: number;
  @ApiProperty()
  label!: string;
  @ApiProperty({ example: 'sk-...abcd', description: 'First 3 and last 4 characters; ******** when short' })
  masked!: string;
  @ApiProperty({ type: String, nullable: true, example: '${OPENAI_KEY}' })
  envReference!: string | null;
  @ApiProperty()
  weight!: number;
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty({ type: Number, nullable: true })
  quotaLimit!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  rateLimitRps!: number | null;
  @ApiProperty({ type: String, nullable: true })
  expiresAt!: string | null;
  @ApiProperty({ enum: KEY_STATES })
  state!: ProviderKeyState;
  @ApiProperty({ type: Number, nullable: true, description: 'Epoch ms when a resting key is expected back' })
  cooldownUntil!: number | null;
  @ApiProperty()
  consecutiveFailures!: number;
  @ApiProperty()
  successCount!: number;
}

export class ProviderStats24hDto {
  @ApiProperty()
  requests!: number;
  @ApiProperty()
  errors!: number;
  @ApiProperty()
  errorRate!: number;
  @ApiProperty({ type: Number, nullable: true })
  latencyP50Ms!: number | null;
  @ApiProperty()
  tokens!: number;
  @ApiProperty()
  costUsd!: number;
}

export class ProviderViewDto {
  @ApiProperty()
  name!: string;
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty({ enum: ['api', 'anthropic', 'web_reverse', 'local'] })
  providerType!: ProviderType;
  @ApiProperty({ type: String, nullable: true })
  preset!: string | null;
  @ApiProperty()
  baseUrl!: string;
  @ApiProperty()
  timeout!: number;
  @ApiProperty({ type: Number, nullable: true })
  firstTokenTimeout!: number | null;
  @ApiProperty()
  rateLimitCooldown!: number;
  @ApiProperty({ type: String, nullable: true })
  testModel!: string | null;
  @ApiProperty({ type: [String] })
  modelsInclude!: string[];
  @ApiProperty({ type: [String] })
  modelsExclude!: string[];
  @ApiProperty({ type: Number, nullable: true })
  costPerMInput!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  costPerMOutput!: number | null;
  @ApiProperty({ type: [String], description: 'Header names only (values may be secrets)' })
  headerNames!: string[];
  @ApiProperty({ type: [ProviderKeyViewDto] })
  keys!: ProviderKeyViewDto[];
  @ApiProperty({ enum: ['healthy', 'degraded', 'down', 'disabled'] })
  health!: ProviderHealth;
  @ApiProperty({ type: ProviderStats24hDto })
  stats24h!: ProviderStats24hDto;
}

export class RejectedImportLineDto {
  @ApiProperty({ description: '1-based line (or JSON array item)' })
  line!: number;
  @ApiProperty()
  reason!: string;
}

export class ProviderKeyImportResultDto {
  @ApiProperty()
  added!: number;
  @ApiProperty({ description: 'Keys already configured or repeated in the import' })
  duplicates!: number;
  @ApiProperty({ type: [RejectedImportLineDto] })
  rejected!: RejectedImportLineDto[];
  @ApiProperty({ type: ProviderViewDto })
  provider!: ProviderViewDto;
}

export class ProviderTestResultDto {
  @ApiProperty()
  ok!: boolean;
  @ApiProperty()
  model!: string;
  @ApiProperty({ type: String, nullable: true })
  keyLabel!: string | null;
  @ApiProperty()
  latencyMs!: number;
  @ApiProperty({ type: Number, nullable: true })
  status!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The answer’s text (first 500 characters)' })
  answer!: string | null;
  @ApiProperty({ type: String, nullable: true })
  error!: string | null;
}

export class ProviderModelDto {
  @ApiProperty()
  id!: string;
  @ApiProperty({ description: 'The include/exclude lists let it through' })
  included!: boolean;
}

export class ProviderModelsResultDto {
  @ApiProperty({ type: [ProviderModelDto] })
  models!: ProviderModelDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Why the upstream could not be asked' })
  error!: string | null;
}
