import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DatabaseModule } from '../database/database.module';
import { ApiAuthGuard } from './api-auth.guard';
import { AppDataService } from './app-data.service';
import { AuthController } from './auth.controller';
import { InvitesController } from './invites.controller';
import { InvitesService } from './invites.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordService } from './password.service';
import { RelayAuthGuard } from './relay-auth.guard';
import { LocalRelayKeyCounters } from './relay-keys/local-relay-key-counters';
import { RelayKeyCounters } from './relay-keys/relay-key-counters';
import { RelayKeyLimits } from './relay-keys/relay-key-limits.service';
import { RelayKeyLookup } from './relay-keys/relay-key-lookup.service';
import { RelayKeysController } from './relay-keys/relay-keys.controller';
import { RelayKeysService } from './relay-keys/relay-keys.service';
import { SessionsService } from './sessions.service';
import { SetupController } from './setup.controller';
import { SignupService } from './signup.service';
import { SsoController } from './sso/sso.controller';
import { SSO_PROVIDERS_LIST } from './sso/sso.providers';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * Who may call what: `/v1` through `RelayAuthGuard`, `/api` through the global `ApiAuthGuard`
 * (every `/api` route declares its access with `@RequireAccess`); local accounts, roles, console
 * sessions, sign-up and invites.
 */
@Module({
  imports: [DatabaseModule],
  controllers: [
    SetupController,
    AuthController,
    UsersController,
    InvitesController,
    SsoController,
    RelayKeysController,
  ],
  providers: [
    RelayAuthGuard,
    AppDataService,
    PasswordService,
    SessionsService,
    UsersService,
    InvitesService,
    SignupService,
    LoginRateLimiter,
    { provide: APP_GUARD, useClass: ApiAuthGuard },
    ...SSO_PROVIDERS_LIST,
    // relay keys: the /v1 guard's lookup, limits and usage counters, the /api/keys service
    RelayKeyLookup,
    { provide: RelayKeyCounters, useClass: LocalRelayKeyCounters },
    RelayKeyLimits,
    RelayKeysService,
  ],
  exports: [
    RelayAuthGuard,
    AppDataService,
    PasswordService,
    SessionsService,
    UsersService,
    RelayKeyLookup,
    RelayKeyLimits,
    RelayKeysService,
  ],
})
export class AuthModule {}
