import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { ConfigSource } from '../config/config-source';
import type { RelayConfig } from '../config/relay-config';
import { compiledRoutingFor } from './compiled-routing';
import type { RoutePlan, RouteRequest } from './route-plan';
import { planRoute } from './route-planner';

/**
 * Turns the model a client asked for into the ordered targets to try. Each config snapshot is
 * compiled once, when it arrives; `plan` only does lookups and precompiled glob tests.
 */
@Injectable()
export class RoutingService implements OnModuleDestroy {
  private readonly subscription: Subscription;

  constructor(private readonly config: ConfigSource) {
    compiledRoutingFor(config.current);
    this.subscription = config.changes$.subscribe((next) => compiledRoutingFor(next));
  }

  /** @throws UnknownModelError when no enabled provider serves the model. */
  plan(request: RouteRequest, config: RelayConfig = this.config.current): RoutePlan {
    return planRoute(request, compiledRoutingFor(config));
  }

  /** What `/v1/models` lists: `model@provider` for every plain include entry, plus alias names. */
  availableModels(config: RelayConfig = this.config.current): string[] {
    return [...compiledRoutingFor(config).available];
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }
}
