import {
  BlockField,
  BooleanField,
  EnumField,
  IntField,
  MapField,
  NumberField,
  StringField,
  StringListField,
} from './config-fields';
import { httpUrlRule, nonEmptyStringRule } from './config-rules';

export const UNKNOWN_FIELD_POLICIES = ['pass_through', 'strip', 'reject'] as const;
export const SWITCH_POLICIES = ['eager'] as const;

/** Sampling values applied to a local model's request only when the client omits the field. */
export class SamplingDefaultsDto {
  @NumberField({ min: 0 })
  temperature?: number;

  @NumberField({ min: 0, max: 1 })
  top_p?: number;

  @IntField({ min: 0 })
  top_k?: number;

  @NumberField({ min: 0, max: 1 })
  min_p?: number;

  @NumberField({ min: -2, max: 2 })
  presence_penalty?: number;

  @NumberField({ min: 0 })
  repeat_penalty?: number;
}

export class CircuitBreakerDto {
  @IntField({ min: 1 })
  threshold?: number;

  @IntField({ min: 1 })
  window_ms?: number;

  @IntField({ min: 0 })
  cooldown_ms?: number;
}

/** One local model: how to start it (llama-server), and what it can do. */
export class LocalModelDto {
  @StringField(nonEmptyStringRule('a command line'), { required: true })
  cmd?: string;

  @IntField({ min: 1 })
  ctx_size?: number;

  @IntField({ min: 0, max: 65535 })
  port?: number;

  /** May hold the ${PORT} macro, so checked as a URL with the macro filled in. */
  @StringField((value) =>
    httpUrlRule(typeof value === 'string' ? value.replaceAll('${PORT}', '8081') : value),
  )
  health_url?: string;

  @NumberField({ min: 0 })
  timeout_sec?: number;

  @BooleanField()
  multimodal?: boolean;

  @StringListField()
  thinking_levels?: string[];

  @StringField()
  stop_cmd?: string;

  @BlockField(() => SamplingDefaultsDto)
  sampling?: SamplingDefaultsDto;
}

/** Ours: local llama.cpp processes started on demand (the "Relay" gateway's model lifecycle). */
export class LifecycleConfigDto {
  @BooleanField()
  enabled?: boolean;

  @MapField(() => LocalModelDto, 'model names to start settings')
  models?: Map<string, LocalModelDto>;

  @StringField(nonEmptyStringRule('a host name or address'))
  host?: string;

  @IntField({ min: 1024, max: 65530 })
  port_base?: number;

  @IntField({ min: 0 })
  idle_shutdown_ms?: number;

  @IntField({ min: 1 })
  start_timeout_ms?: number;

  @IntField({ min: 10 })
  health_interval_ms?: number;

  @IntField({ min: 1 })
  stop_timeout_ms?: number;

  @IntField({ min: 1 })
  max_warm_models?: number;

  @EnumField(SWITCH_POLICIES)
  switch_policy?: string;

  @IntField({ min: 0 })
  switch_max_wait_ms?: number;

  @BooleanField()
  serialize_requests?: boolean;

  @BooleanField()
  cancel_unwaited_loads?: boolean;

  @BooleanField()
  fallback_while_loading?: boolean;

  @IntField({ min: 100 })
  keepalive_interval_ms?: number;

  @IntField({ min: 1024 })
  ring_buffer_bytes?: number;

  @BooleanField()
  session_restart?: boolean;

  @BlockField(() => CircuitBreakerDto)
  circuit_breaker?: CircuitBreakerDto;

  @EnumField(UNKNOWN_FIELD_POLICIES)
  unknown_field_policy?: string;

  @BooleanField()
  warn_on_stripped_fields?: boolean;

  @StringField()
  default_model?: string;

  @BlockField(() => SamplingDefaultsDto)
  sampling?: SamplingDefaultsDto;
}
