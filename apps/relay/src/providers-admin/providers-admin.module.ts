import { Module } from '@nestjs/common';
import { ConfigEditorModule } from '../config-editor/config-editor.module';
import { KeysModule } from '../keys/keys.module';
import { LogStoreModule } from '../logging/store/log-store.module';
import { ProvidersModule } from '../providers/providers.module';
import { ProvidersAdminController } from './providers-admin.controller';
import { ProvidersAdminService } from './providers-admin.service';

/** `/api/providers`: upstream providers and their keys, edited through config.yml. */
@Module({
  imports: [ConfigEditorModule, KeysModule, LogStoreModule, ProvidersModule],
  controllers: [ProvidersAdminController],
  providers: [ProvidersAdminService],
})
export class ProvidersAdminModule {}
