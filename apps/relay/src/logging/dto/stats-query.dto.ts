import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import type { StatsBucket, StatsGroupBy } from '@monorelay/contracts';

/** `GET /api/stats` query parameters. */
export class StatsQueryDto {
  @ApiProperty({ description: 'From (epoch ms)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from!: number;

  @ApiProperty({ description: 'To (epoch ms)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  to!: number;

  @ApiPropertyOptional({ enum: ['minute', 'hour', 'day'], default: 'hour' })
  @IsOptional()
  @IsIn(['minute', 'hour', 'day'])
  bucket?: StatsBucket;

  @ApiPropertyOptional({ enum: ['provider', 'model', 'key', 'user'] })
  @IsOptional()
  @IsIn(['provider', 'model', 'key', 'user'])
  group_by?: StatsGroupBy;
}
