import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LogsController } from './logs.controller';
import { RequestLogService } from './request-log.service';
import { StatsController } from './stats.controller';
import { LogStoreModule } from './store/log-store.module';

@Global()
@Module({
  imports: [LogStoreModule, AuthModule],
  controllers: [LogsController, StatsController],
  providers: [RequestLogService],
  exports: [RequestLogService],
})
export class LoggingModule {}
