import { Module } from '@nestjs/common';
import { SettingsController } from './settings.controller';

/** `/api/settings`: the settings page's view of the config. */
@Module({ controllers: [SettingsController] })
export class SettingsModule {}
