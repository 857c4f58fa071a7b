import { BooleanField, IntField } from './config-fields';

/** Ours: how the request log is stored (MonoRelay's `logging` block keeps its own keys). */
export class LogStoreConfigDto {
  @BooleanField()
  bodies?: boolean;

  @BooleanField()
  compress_bodies?: boolean;

  @IntField({ min: 1024 })
  max_body_bytes?: number;

  @IntField({ min: 10 })
  flush_interval_ms?: number;

  @IntField({ min: 1 })
  flush_batch_size?: number;

  @IntField({ min: 100 })
  queue_max_rows?: number;

  @IntField({ min: 0 })
  queue_shed_bodies_above?: number;
}
