import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SharedStateStore } from '../cluster/shared-state.store';
import { ConfigService } from '../config/config.service';
import { DatabaseRegistry } from '../database/database-registry';

@ApiTags('Health')
@Controller()
export class HealthController {
  constructor(
    private readonly config: ConfigService,
    private readonly sharedState: SharedStateStore,
    private readonly databases: DatabaseRegistry,
  ) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: configuration loaded, shared state and databases open' })
  readyz(@Res() reply: FastifyReply): void {
    const databases = this.databases.checks();
    const checks: Record<string, string> = {
      config: this.config.current ? 'ok' : 'not loaded',
      shared_state: this.sharedState.isReady() ? 'ok' : 'closed',
    };
    for (const [name, state] of Object.entries(databases)) checks[name] = state === 'ready' ? 'ok' : state;
    const ready = Object.values(checks).every((state) => state === 'ok');
    reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  }
}
