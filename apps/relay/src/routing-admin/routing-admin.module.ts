import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { RoutingModule } from '../routing/routing.module';
import { RoutingAdminController } from './routing-admin.controller';
import { RouteSimulatorService } from './route-simulator.service';

/**
 * `/api/routing`: the admin view of routing and the route simulator. It reads routing plans and key
 * states (the same RoutingService and KeysService instances as the /v1 path) and sends nothing upstream.
 */
@Module({
  imports: [RoutingModule, KeysModule],
  controllers: [RoutingAdminController],
  providers: [RouteSimulatorService],
})
export class RoutingAdminModule {}
