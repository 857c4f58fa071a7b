import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { badRequest, notFound } from '../auth/api-error';
import { RequireAccess } from '../auth/roles';
import { ModelStatusDto } from './dto/model-status.dto';
import { LifecycleService } from './lifecycle.service';
import type { ModelStatus } from './model-scheduler';

const MAX_LOG_LINES = 1000;

/** Local model processes (llama.cpp): their state and logs; start and stop them (admins). */
@ApiTags('Local models')
@ApiBearerAuth()
@Controller('api/lifecycle')
export class LifecycleController {
  constructor(private readonly lifecycle: LifecycleService) {}

  @Get('models')
  @RequireAccess('admin')
  @ApiOperation({ summary: 'Every local model: state, port, pid, uptime, last use, recent log lines' })
  @ApiQuery({ name: 'lines', required: false, description: 'Log lines per model (default 50, max 1000)' })
  @ApiOkResponse({ type: [ModelStatusDto] })
  list(@Query('lines') lines?: string): { enabled: boolean; models: ModelStatus[] } {
    return { enabled: this.lifecycle.enabled, models: this.lifecycle.status(logLines(lines)) };
  }

  @Get('models/:name')
  @RequireAccess('admin')
  @ApiOperation({ summary: 'One local model' })
  @ApiParam({ name: 'name' })
  @ApiQuery({ name: 'lines', required: false })
  @ApiOkResponse({ type: ModelStatusDto })
  one(@Param('name') name: string, @Query('lines') lines?: string): ModelStatus {
    return this.find(name, logLines(lines));
  }

  @Post('models/:name/start')
  @RequireAccess('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start (load) a local model now; GET shows when it is ready' })
  @ApiParam({ name: 'name' })
  @ApiAcceptedResponse({ type: ModelStatusDto })
  start(@Param('name') name: string): ModelStatus {
    this.find(name, 0);
    if (!this.lifecycle.enabled)
      throw badRequest('Local models are disabled (lifecycle.enabled).', 'disabled');
    this.lifecycle.start(name);
    return this.find(name, 0);
  }

  @Post('models/:name/stop')
  @RequireAccess('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a local model (requests running on it are cut, waiting ones refused)' })
  @ApiParam({ name: 'name' })
  @ApiOkResponse({ type: ModelStatusDto })
  async stop(@Param('name') name: string): Promise<ModelStatus> {
    this.find(name, 0);
    await this.lifecycle.stop(name);
    return this.find(name, 0);
  }

  private find(name: string, lines: number): ModelStatus {
    const found = this.lifecycle.status(lines).find((model) => model.name === name);
    if (!found) throw notFound(`No local model named ${name} is configured.`, 'model_not_found');
    return found;
  }
}

function logLines(text: string | undefined): number {
  const value = text === undefined ? 50 : Number(text);
  if (!Number.isInteger(value) || value < 0) throw badRequest('lines must be a non-negative integer');
  return Math.min(value, MAX_LOG_LINES);
}
