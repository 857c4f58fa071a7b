import { Module } from '@nestjs/common';
import { RequestTransformer } from './request-transformer';
import { RoutingService } from './routing.service';

/** Routing plans and per-target body transformations. Relies on a globally provided ConfigSource. */
@Module({
  providers: [RoutingService, RequestTransformer],
  exports: [RoutingService, RequestTransformer],
})
export class RoutingModule {}
