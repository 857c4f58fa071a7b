import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { LOG_PAGE_SIZES, type LogPageSize } from '../store/request-log.store';

/** `GET /api/logs` query parameters. Times are epoch milliseconds. */
export class LogListQueryDto {
  @ApiPropertyOptional({ description: 'From (epoch ms, inclusive)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from?: number;

  @ApiPropertyOptional({ description: 'To (epoch ms, exclusive)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  to?: number;

  @ApiPropertyOptional({ description: 'Requested or served model' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  model?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  provider?: string;

  @ApiPropertyOptional({ description: '`success`, `error`, or an HTTP status code' })
  @IsOptional()
  @Matches(/^(success|error|[1-5]\d\d)$/, { message: 'status must be success, error or an HTTP status code' })
  status?: string;

  @ApiPropertyOptional({ description: 'Only this user’s entries' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  user?: string;

  @ApiPropertyOptional({ description: 'Only failed requests (same as status=error)' })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  errors_only?: string;

  @ApiPropertyOptional({ description: 'Text to find in the request or response preview' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'The previous page’s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;

  @ApiPropertyOptional({ enum: LOG_PAGE_SIZES, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsIn(LOG_PAGE_SIZES as unknown as number[], { message: 'limit must be one of 20, 50, 100, 200' })
  limit?: LogPageSize;
}
