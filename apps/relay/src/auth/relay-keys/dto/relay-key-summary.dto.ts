import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  CreatedRelayKey,
  RelayKeyLimits,
  RelayKeyStatus,
  RelayKeySummary,
  RelayKeyUsage,
} from '@monorelay/contracts';

/** Swagger's description of the answers; the values are the `@monorelay/contracts` types. */
export class RelayKeyLimitsDto implements RelayKeyLimits {
  @ApiProperty({ type: Number, nullable: true })
  requestsPerMinute!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  tokensPerDay!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  budgetUsdPerDay!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  budgetUsdPerMonth!: number | null;
}

export class RelayKeyUsageDto implements RelayKeyUsage {
  @ApiProperty({ description: 'Input + output tokens today (UTC)' })
  tokensToday!: number;

  @ApiProperty({ description: 'USD today (UTC)' })
  costUsdToday!: number;

  @ApiProperty()
  tokensThisMonth!: number;

  @ApiProperty()
  costUsdThisMonth!: number;
}

export class RelayKeyOwnerDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  username!: string;
}

export class RelayKeySummaryDto implements RelayKeySummary {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: '`mr-` and the first 6 characters of the key', example: 'mr-AbCdEf' })
  prefix!: string;

  @ApiProperty({ enum: ['active', 'expired', 'revoked'] })
  status!: RelayKeyStatus;

  @ApiProperty({ description: 'Epoch ms' })
  createdAt!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Epoch ms' })
  expiresAt!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Epoch ms' })
  revokedAt!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Epoch ms (recorded at most once a minute)' })
  lastUsedAt!: number | null;

  @ApiProperty({ type: [String], nullable: true, description: 'Model globs; null = any model' })
  allowedModels!: string[] | null;

  @ApiProperty({ type: RelayKeyLimitsDto })
  limits!: RelayKeyLimitsDto;

  @ApiProperty({ type: RelayKeyUsageDto })
  usage!: RelayKeyUsageDto;

  @ApiPropertyOptional({ type: RelayKeyOwnerDto, description: 'In the admins’ list of every key' })
  owner?: RelayKeyOwnerDto;
}

export class CreatedRelayKeyDto extends RelayKeySummaryDto implements CreatedRelayKey {
  @ApiProperty({ description: 'The key itself. Shown this once: only its hash is kept.' })
  key!: string;
}
