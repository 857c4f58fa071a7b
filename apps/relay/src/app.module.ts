import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ClusterModule } from './cluster/cluster.module';
import { ConfigEditorModule } from './config-editor/config-editor.module';
import { ConfigModule } from './config/config.module';
import { LoggingModule } from './logging/logging.module';
import { ObservabilityModule } from './observability/observability.module';
import { ProvidersAdminModule } from './providers-admin/providers-admin.module';
import { RelayModule } from './relay/relay.module';
import { RUNTIME_OPTIONS, type RuntimeOptions } from './runtime-options';
import { ShutdownState } from './shutdown-state';

@Module({})
export class AppModule {
  static forRoot(options: RuntimeOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule,
        ClusterModule,
        AuthModule,
        ConfigEditorModule,
        LoggingModule,
        ObservabilityModule,
        ProvidersAdminModule,
        RelayModule,
      ],
      providers: [{ provide: RUNTIME_OPTIONS, useValue: options }, ShutdownState],
      exports: [RUNTIME_OPTIONS, ShutdownState],
    };
  }
}
