import { Injectable } from '@nestjs/common';
import type { RouteSimulation, RouteSimulationInput, RoutingView } from '@monorelay/contracts';
import { badRequest } from '../auth/api-error';
import { ConfigSource } from '../config/config-source';
import { KeysService } from '../keys/keys.service';
import { complexityTier, scoreComplexity } from '../routing/complexity-scorer';
import { promptTextOf } from '../routing/prompt-text';
import { type RoutePlan, UnknownModelError, unknownModelMessage } from '../routing/route-plan';
import { RoutingService } from '../routing/routing.service';
import { routingViewOf } from './routing-view';
import { targetAvailability } from './target-availability';

/**
 * The routing page's backend: the routing settings, and a dry run of the real routing plan for a
 * model or a pasted request, with what each target's keys would allow right now.
 */
@Injectable()
export class RouteSimulatorService {
  constructor(
    private readonly config: ConfigSource,
    private readonly routing: RoutingService,
    private readonly keys: KeysService,
  ) {}

  view(): RoutingView {
    const config = this.config.current;
    return routingViewOf(config, this.routing.availableModels(config));
  }

  simulate(input: RouteSimulationInput): RouteSimulation {
    const requestModel = input.request?.model;
    const model = input.model?.trim() || (typeof requestModel === 'string' ? requestModel.trim() : '');
    if (model === '') {
      throw badRequest('Give a model, or a request whose "model" is a non-empty string', 'model_required');
    }
    const config = this.config.current;
    let prompt: string | null = null;
    const promptText = () => (prompt = promptTextOf(input.request ?? null));
    let plan: RoutePlan;
    try {
      plan = this.routing.plan({ model, endpoint: input.endpoint ?? 'chat', promptText }, config);
    } catch (error) {
      if (!(error instanceof UnknownModelError)) throw error;
      return {
        requested: model,
        resolved: model,
        steps: [],
        targets: [],
        error: unknownModelMessage(error),
        complexity: null,
      };
    }
    const score = prompt === null ? null : scoreComplexity(prompt);
    const now = Date.now();
    const endpoint = input.endpoint ?? 'chat';
    return {
      requested: plan.requested,
      resolved: plan.resolved,
      steps: plan.steps,
      targets: plan.targets.map((target) => ({
        ...target,
        ...targetAvailability(
          config.providers[target.provider],
          this.keys.snapshot(target.provider),
          now,
          endpoint,
        ),
      })),
      error: null,
      complexity:
        score === null ? null : { score: Math.round(score * 100) / 100, tier: complexityTier(score) },
    };
  }
}
