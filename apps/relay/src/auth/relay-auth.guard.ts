import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ConfigService } from '../config/config.service';
import { digest, presentedCredential, secretMatches } from './credential';
import type { Principal } from './principal';
import { RelayAuthError } from './relay-auth.error';

const ACCESS_KEY_PRINCIPAL: Principal = { kind: 'access_key', id: 'access_key', name: 'access key' };

/**
 * Authenticates /v1 callers and attaches the {@link Principal} to the request. Today the only
 * credential is the configured access key (`server.access_key_enabled`).
 */
@Injectable()
export class RelayAuthGuard implements CanActivate {
  private accessKey = '';
  private accessKeyDigest = digest('');

  constructor(private readonly config: ConfigService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.principal = this.authenticate(presentedCredential(request.headers));
    return true;
  }

  authenticate(credential: string | null): Principal {
    if (!credential) throw new RelayAuthError('Missing API key: send it as "Authorization: Bearer <key>".');
    const { access_key_enabled } = this.config.current.server;
    if (access_key_enabled && this.config.accessKey && secretMatches(credential, this.expectedDigest()))
      return ACCESS_KEY_PRINCIPAL;
    throw new RelayAuthError('Incorrect API key provided.');
  }

  private expectedDigest(): Buffer {
    const accessKey = this.config.accessKey;
    if (accessKey !== this.accessKey) {
      this.accessKey = accessKey;
      this.accessKeyDigest = digest(accessKey);
    }
    return this.accessKeyDigest;
  }
}
