import { Body, Controller, Get, HttpCode, Post, UseFilters, UsePipes, ValidationPipe } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { RouteSimulation, RoutingView } from '@monorelay/contracts';
import { RequireAccess } from '../auth/roles';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { RouteSimulationDto, RouteSimulationInputDto, RoutingViewDto } from './dto/routing-admin.dto';
import { RouteSimulatorService } from './route-simulator.service';

/** The routing page: settings as configured (edited through `PATCH /api/config`) and the route simulator. */
@ApiTags('Routing')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/routing')
@RequireAccess('admin')
@UseFilters(RelayExceptionFilter)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class RoutingAdminController {
  constructor(private readonly simulator: RouteSimulatorService) {}

  @Get()
  @ApiOperation({
    summary: 'Aliases, provider mapping, overrides, complexity tiers, cascade, available models',
  })
  @ApiOkResponse({ type: RoutingViewDto })
  view(): RoutingView {
    return this.simulator.view();
  }

  @Post('simulate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Dry run of the routing plan for a model or a pasted request: steps, complexity, and each target with whether its keys allow it now',
  })
  @ApiOkResponse({ type: RouteSimulationDto, description: 'An unknown model answers 200 with `error` set' })
  @ApiBadRequestResponse({ description: 'No model given' })
  simulate(@Body() body: RouteSimulationInputDto): RouteSimulation {
    return this.simulator.simulate(body);
  }
}
