import { type DynamicModule, Global, Module } from '@nestjs/common';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../runtime-options';
import { ConfigSource } from './config-source';
import { ConfigService } from './config.service';

/**
 * Configuration for the whole app. `ConfigService` needs `RUNTIME_OPTIONS`: import
 * `ConfigModule.forRoot(options)`, which provides it (globally, for others too), or import
 * `ConfigModule` where a global module already exports `RUNTIME_OPTIONS`.
 */
@Global()
@Module({
  providers: [ConfigService, { provide: ConfigSource, useExisting: ConfigService }],
  exports: [ConfigService, ConfigSource],
})
export class ConfigModule {
  static forRoot(options: RuntimeOptions): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: RUNTIME_OPTIONS, useValue: options }],
      exports: [RUNTIME_OPTIONS],
    };
  }
}
