import { Logger, type Provider } from '@nestjs/common';
import { SharedStateStore } from '../../cluster/shared-state.store';
import { ConfigService } from '../../config/config.service';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../../runtime-options';
import { resolveSessionSecret } from '../session-secret';
import { OAuthStateStore, stateCookieKey } from './oauth-state.store';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoStrategies } from './sso-strategies.service';

/**
 * The state store: sealed with a key derived from the session secret (`auth.session_secret`, else
 * `<dataDir>/session_secret`, resolved as `SessionsService` does, and re-derived when it changes);
 * single use recorded in the shared state store (Redis when replicas share one).
 */
export function oauthStateStoreFactory(
  config: ConfigService,
  shared: SharedStateStore,
  runtime: RuntimeOptions,
): OAuthStateStore {
  const logger = new Logger('SSO');
  let derived: { configured: string; key: Buffer } | null = null;
  return new OAuthStateStore({
    key() {
      const configured = config.current.auth.session_secret;
      if (derived?.configured !== configured) {
        const resolved = resolveSessionSecret(configured, runtime.dataDir);
        if (resolved.generated) logger.log(`generated a session secret in ${resolved.file}`);
        derived = { configured, key: stateCookieKey(resolved.secret) };
      }
      return derived.key;
    },
    consume: async (id, ttlMs) => (await shared.increment(id, 1, ttlMs)) === 1,
  });
}

/** The SSO providers, registered in `AuthModule` (they use its users, invites and sessions). */
export const SSO_PROVIDERS_LIST: Provider[] = [
  {
    provide: OAuthStateStore,
    inject: [ConfigService, SharedStateStore, RUNTIME_OPTIONS],
    useFactory: oauthStateStoreFactory,
  },
  SsoStrategies,
  SsoSignInService,
];
