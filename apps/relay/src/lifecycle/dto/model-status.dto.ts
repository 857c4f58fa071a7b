import { ApiProperty } from '@nestjs/swagger';
import type { ModelStatus } from '../model-scheduler';

export class CircuitStatusDto {
  @ApiProperty({ description: 'The model is not started until the cooldown has passed' })
  open!: boolean;

  @ApiProperty({ description: 'Milliseconds left of the cooldown (0 when closed)' })
  retryInMs!: number;

  @ApiProperty({ description: 'Failures (failed starts, crashes) counted in the current window' })
  recentFailures!: number;
}

/** Swagger's description of one local model's status. */
export class ModelStatusDto implements ModelStatus {
  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['stopped', 'starting', 'ready', 'stopping'] })
  state!: ModelStatus['state'];

  @ApiProperty({ type: Number, nullable: true })
  port!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Process group leader (the start command)' })
  pid!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Milliseconds since it became ready' })
  uptimeMs!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'ISO time its last request finished' })
  lastUsedAt!: string | null;

  @ApiProperty()
  inFlight!: number;

  @ApiProperty({ description: 'Requests waiting for it (start, switch or turn)' })
  waiting!: number;

  @ApiProperty()
  ctxSize!: number;

  @ApiProperty()
  multimodal!: boolean;

  @ApiProperty({ type: [String] })
  thinkingLevels!: string[];

  @ApiProperty({ type: CircuitStatusDto })
  circuit!: CircuitStatusDto;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: [String], description: 'Recent stdout/stderr lines, oldest first' })
  logs!: string[];
}
