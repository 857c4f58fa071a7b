import { MapField, NumberField } from './config-fields';

/** USD per 1M tokens for one model (glob). */
export class ModelPriceDto {
  @NumberField({ min: 0 })
  input?: number;

  @NumberField({ min: 0 })
  output?: number;

  @NumberField({ min: 0 })
  cache_read?: number;

  @NumberField({ min: 0 })
  cache_write?: number;
}

/** Ours: per-model prices that override the built-in table and the providers' cost_per_m_*. */
export class PricingConfigDto {
  @MapField(() => ModelPriceDto, 'model globs to prices')
  models?: Map<string, ModelPriceDto>;
}
