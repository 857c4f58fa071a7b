import { Controller, Get, Query, Req, UseFilters, UsePipes, ValidationPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StatsResult } from '@monorelay/contracts';
import type { FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/roles';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { StatsQueryDto } from './dto/stats-query.dto';
import { logScopeOf } from './log-scope';
import { RequestLogStore } from './store/request-log.store';

/** Statistics: users see their own traffic (`logScopeOf`), admins everyone's. */
@ApiTags('Statistics')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/stats')
@RequireAccess('user')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class StatsController {
  constructor(private readonly store: RequestLogStore) {}

  @Get()
  @ApiOperation({
    summary:
      'Totals, a time series and an optional breakdown (provider, model, key, user): requests, errors, tokens, cost, latency and first-token percentiles, tokens/s — from rollups',
  })
  async stats(@Query() query: StatsQueryDto, @Req() request: FastifyRequest): Promise<StatsResult> {
    if (query.to <= query.from) throw new RangeError('to must be after from');
    return this.store.stats(
      { from: query.from, to: query.to, bucket: query.bucket ?? 'hour', groupBy: query.group_by },
      logScopeOf(request),
    );
  }
}
