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
import { MessagesController } from './messages.controller';
import { ModelsController } from './models.controller';
import { RelayController } from './relay.controller';
import { RelayService } from './relay.service';

/** The /v1 API: the only module that composes routing, keys, providers, lifecycle and logging. */
@Module({
  imports: [AuthModule, RoutingModule, KeysModule, ProvidersModule, LifecycleModule],
  controllers: [RelayController, MessagesController, ModelsController, HostedRoutesController],
  providers: [RelayService, AnswerForwarder, CountTokensService, KeyProbeService],
})
export class RelayModule {}
