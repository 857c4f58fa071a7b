import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { ConfigService } from '../config/config.service';
import { digest, presentedCredential } from './credential';
import type { Principal } from './principal';
import { RelayAuthError } from './relay-auth.error';
import type { ActiveRelayKey } from './relay-keys/active-relay-key';
import { looksLikeRelayKey } from './relay-keys/relay-key-format';
import { RelayKeyLookup } from './relay-keys/relay-key-lookup.service';

const ACCESS_KEY_PRINCIPAL: Principal = {
  kind: 'access_key',
  id: 'access_key',
  name: 'access key',
  userId: null,
  role: null,
};

/**
 * Authenticates /v1 callers and attaches the {@link Principal} to the request: the configured
 * access key (`server.access_key_enabled`; compared in constant time), or a user's relay key
 * (found by its SHA-256, so no comparison leaks timing; cached, see `RelayKeyLookup`). A relay key
 * that is revoked or expired, or whose user is disabled, is refused with a message saying so.
 * A relay key also sets `request.relayKey`, whose limits the relay applies before routing.
 */
@Injectable()
export class RelayAuthGuard implements CanActivate {
  private accessKey = '';
  private accessKeyDigest = digest('');

  constructor(
    private readonly config: ConfigService,
    private readonly relayKeys: RelayKeyLookup,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.authenticate(context.switchToHttp().getRequest<FastifyRequest>());
  }

  /** The guard's work, for routes served outside Nest's pipeline (`relay/relay-routes.ts`): throws {@link RelayAuthError}. */
  authenticate(request: FastifyRequest): true | Promise<true> {
    const credential = presentedCredential(request.headers);
    if (!credential) throw new RelayAuthError('Missing API key: send it as "Authorization: Bearer <key>".');
    const presented = digest(credential);
    if (this.isAccessKey(presented)) {
      request.principal = ACCESS_KEY_PRINCIPAL;
      return true;
    }
    if (!looksLikeRelayKey(credential)) throw new RelayAuthError('Incorrect API key provided.');
    if (!request.url.startsWith('/v1/')) throw new RelayAuthError('Relay keys are accepted on /v1 only.');
    const found = this.relayKeys.find(presented.toString('hex'));
    if (found instanceof Promise) return found.then((key) => this.admit(request, key));
    return this.admit(request, found);
  }

  private isAccessKey(presented: Buffer): boolean {
    if (!this.config.current.server.access_key_enabled) return false;
    const accessKey = this.config.accessKey;
    if (!accessKey) return false;
    if (accessKey !== this.accessKey) {
      this.accessKey = accessKey;
      this.accessKeyDigest = digest(accessKey);
    }
    return timingSafeEqual(presented, this.accessKeyDigest);
  }

  private admit(request: FastifyRequest, key: ActiveRelayKey | null): true {
    if (key === null) throw new RelayAuthError('Incorrect API key provided.');
    const now = Date.now();
    if (key.revokedAt !== null) throw new RelayAuthError('This relay key was revoked.');
    if (key.expiresAt !== null && key.expiresAt <= now) {
      throw new RelayAuthError(`This relay key expired on ${new Date(key.expiresAt).toISOString()}.`);
    }
    if (key.userDisabled) throw new RelayAuthError('The account that owns this relay key is disabled.');
    request.principal = key.principal;
    request.relayKey = key;
    this.relayKeys.used(key, now);
    return true;
  }
}
