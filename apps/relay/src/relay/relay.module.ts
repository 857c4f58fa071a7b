import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KeysModule } from '../keys/keys.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { ProvidersModule } from '../providers/providers.module';
import { RoutingModule } from '../routing/routing.module';
import { AnswerForwarder } from './answer-forwarder.service';
import { CountTokensService } from './count-tokens.service';
import { HostedRoutesController } from './hosted-routes.controller';
import { KeyProbeService } from './key-probe.service';
import { ModelsController } from './models.controller';
import { RelayService } from './relay.service';

/**
 * The /v1 API: the only module that composes routing, keys, providers, lifecycle and logging. The
 * relayed POST endpoints are Fastify routes (`relay-routes.ts`), registered by the bootstrap.
 */
@Module({
  imports: [AuthModule, RoutingModule, KeysModule, ProvidersModule, LifecycleModule],
  controllers: [ModelsController, HostedRoutesController],
  providers: [RelayService, AnswerForwarder, CountTokensService, KeyProbeService],
})
export class RelayModule {}
