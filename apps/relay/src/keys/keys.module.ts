import { Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { KeysService } from './keys.service';

/** Provider key pools. Relies on globally provided ConfigSource and SharedStateStore. */
@Module({
  providers: [KeysService, { provide: Clock, useClass: SystemClock }],
  exports: [KeysService],
})
export class KeysModule {}
