import {
  Controller,
  Delete,
  Get,
  NotFoundException,
  Param,
  Query,
  Req,
  Res,
  UseFilters,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { RequestLogBodies, RequestLogEntry, RequestLogPage } from '@monorelay/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/roles';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { LogListQueryDto } from './dto/log-list-query.dto';
import { streamLiveLog } from './live/live-log-stream';
import { logScopeOf } from './log-scope';
import { RequestLogService } from './request-log.service';
import { type LogListQuery, RequestLogStore } from './store/request-log.store';
import type { WriteBehindQueueStats } from './write-behind-queue';

/** The request log API: users see their own entries (`logScopeOf`), admins everyone's. */
@ApiTags('Request log')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/logs')
@RequireAccess('user')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class LogsController {
  constructor(
    private readonly store: RequestLogStore,
    private readonly requestLog: RequestLogService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Entries newest first with filters and cursor pagination; running requests on page one',
  })
  async list(@Query() query: LogListQueryDto, @Req() request: FastifyRequest): Promise<RequestLogPage> {
    const scope = logScopeOf(request);
    const lastEventId = this.requestLog.snapshotEventId();
    const { entries, nextCursor } = await this.store.list(toListQuery(query), scope);
    const inFlight = query.cursor
      ? []
      : this.requestLog.inFlight().filter((entry) => scope.userId === null || entry.userId === scope.userId);
    return { entries, inFlight, nextCursor, lastEventId };
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Live stream (SSE) of started, finished and cleared events; resumable with Last-Event-ID',
  })
  @ApiProduces('text/event-stream')
  stream(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const scope = logScopeOf(request);
    const lastEventId =
      (request.headers['last-event-id'] as string | undefined) ??
      (request.query as { last_event_id?: string }).last_event_id ??
      null;
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    streamLiveLog(this.requestLog.hub, reply.raw, {
      lastEventId,
      filter:
        scope.userId === null
          ? undefined
          : (event) => event.type === 'cleared' || event.entry.userId === scope.userId,
    });
  }

  @Get('queue')
  @RequireAccess('admin')
  @ApiOperation({
    summary: 'The write-behind queue: waiting, written, shed (bodies dropped) and dropped entries',
  })
  queue(): WriteBehindQueueStats {
    return this.requestLog.queueStats();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One entry (without bodies)' })
  async get(@Param('id') id: string, @Req() request: FastifyRequest): Promise<RequestLogEntry> {
    const entry = await this.store.get(id, logScopeOf(request));
    if (!entry) throw new NotFoundException(`No log entry ${id}`);
    return entry;
  }

  @Get(':id/bodies')
  @ApiOperation({ summary: 'The four bodies of one entry: client and upstream, request and response' })
  async bodies(@Param('id') id: string, @Req() request: FastifyRequest): Promise<RequestLogBodies> {
    const bodies = await this.store.bodies(id, logScopeOf(request));
    if (!bodies) throw new NotFoundException(`No bodies for log entry ${id}`);
    return bodies;
  }

  @Delete()
  @RequireAccess('admin')
  @ApiOperation({ summary: 'Clears the log (entries, bodies and statistics)' })
  async clear(@Req() request: FastifyRequest): Promise<{ deleted: number }> {
    const deleted = await this.store.clear(logScopeOf(request));
    this.requestLog.cleared();
    return { deleted };
  }
}

function toListQuery(query: LogListQueryDto): LogListQuery {
  const errorsOnly = query.errors_only === 'true' || query.errors_only === '1';
  const status =
    query.status === undefined
      ? errorsOnly
        ? 'error'
        : undefined
      : query.status === 'success' || query.status === 'error'
        ? query.status
        : Number(query.status);
  return {
    from: query.from,
    to: query.to,
    model: query.model,
    provider: query.provider,
    status,
    userId: query.user,
    search: query.q,
    cursor: query.cursor,
    limit: query.limit ?? 50,
  };
}
