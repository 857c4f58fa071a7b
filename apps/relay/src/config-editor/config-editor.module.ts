import { Module } from '@nestjs/common';
import { ConfigEditorController } from './config-editor.controller';
import { ConfigEditorService } from './config-editor.service';

/** `/api/config`: the console's config.yml editor. */
@Module({
  controllers: [ConfigEditorController],
  providers: [ConfigEditorService],
  exports: [ConfigEditorService],
})
export class ConfigEditorModule {}
