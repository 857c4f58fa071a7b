import { AuthConfigDto } from './auth-config.dto';
import { CompatConfigDto } from './compat-config.dto';
import { LifecycleConfigDto } from './lifecycle-config.dto';
import { LogStoreConfigDto } from './log-store-config.dto';
import { PricingConfigDto } from './pricing-config.dto';
import { BlockField, MapField } from './config-fields';
import { DatabaseConfigDto } from './database-config.dto';
import { KeySelectionConfigDto } from './key-selection-config.dto';
import { LoggingConfigDto } from './logging-config.dto';
import { ModelRoutingConfigDto } from './model-routing-config.dto';
import { ProviderConfigDto } from './provider-config.dto';
import { RedisConfigDto } from './redis-config.dto';
import { RelaySettingsDto } from './relay-settings.dto';
import { ServerConfigDto } from './server-config.dto';
import { SsoConfigDto } from './sso-config.dto';
import { SyncConfigDto } from './sync-config.dto';
import { ToolCallingConfigDto } from './tool-calling-config.dto';

/** The whole `config.yml`: MonoRelay's blocks plus ours (`relay`, `database`, `redis`, `compat`, `log_store`, `pricing`, `auth`). */
export class RelayConfigDto {
  @BlockField(() => ServerConfigDto)
  server?: ServerConfigDto;

  @MapField(() => ProviderConfigDto, 'provider names to provider settings')
  providers?: Map<string, ProviderConfigDto>;

  @BlockField(() => ModelRoutingConfigDto)
  model_routing?: ModelRoutingConfigDto;

  @BlockField(() => KeySelectionConfigDto)
  key_selection?: KeySelectionConfigDto;

  @BlockField(() => ToolCallingConfigDto)
  tool_calling?: ToolCallingConfigDto;

  @BlockField(() => LoggingConfigDto)
  logging?: LoggingConfigDto;

  @BlockField(() => SyncConfigDto)
  sync?: SyncConfigDto;

  @BlockField(() => SsoConfigDto)
  sso?: SsoConfigDto;

  @BlockField(() => RelaySettingsDto)
  relay?: RelaySettingsDto;

  @BlockField(() => DatabaseConfigDto)
  database?: DatabaseConfigDto;

  @BlockField(() => RedisConfigDto)
  redis?: RedisConfigDto;

  @BlockField(() => CompatConfigDto)
  compat?: CompatConfigDto;

  @BlockField(() => LogStoreConfigDto)
  log_store?: LogStoreConfigDto;

  @BlockField(() => PricingConfigDto)
  pricing?: PricingConfigDto;

  @BlockField(() => AuthConfigDto)
  auth?: AuthConfigDto;

  @BlockField(() => LifecycleConfigDto)
  lifecycle?: LifecycleConfigDto;
}
