import { Module } from '@nestjs/common';
import { RelayAuthGuard } from './relay-auth.guard';

@Module({
  providers: [RelayAuthGuard],
  exports: [RelayAuthGuard],
})
export class AuthModule {}
