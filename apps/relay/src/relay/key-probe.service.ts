import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigSource } from '../config/config-source';
import type { KeyLease } from '../keys/key-lease';
import { KeysService } from '../keys/keys.service';
import { ProviderRegistry } from '../providers/provider-registry.service';
import { readUpstreamBody } from './request-body';

/**
 * Keys that failed authentication stay out until a probe passes: every
 * `relay.key_probe_interval_seconds` each such key asks its provider for `GET /models`; a 2xx
 * brings it back.
 */
@Injectable()
export class KeyProbeService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KeyProbeService.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly config: ConfigSource,
    private readonly keys: KeysService,
    private readonly providers: ProviderRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Probes every auth-failed key once; returns how many came back. */
  async probeAll(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const results = await Promise.all(this.keys.authFailedKeys().map((lease) => this.probe(lease)));
      return results.filter(Boolean).length;
    } finally {
      this.running = false;
    }
  }

  private schedule(): void {
    const seconds = this.config.current.relay.key_probe_interval_seconds;
    this.timer = setTimeout(() => {
      void this.probeAll().finally(() => {
        if (this.timer) this.schedule();
      });
    }, seconds * 1000);
    this.timer.unref();
  }

  private async probe(lease: KeyLease): Promise<boolean> {
    const provider = this.providers.get(lease.provider);
    if (!provider) return false;
    try {
      const response = await provider.adapter.send({
        provider,
        key: lease,
        path: '/models',
        method: 'GET',
        signal: AbortSignal.timeout(provider.config.timeout * 1000),
      });
      await readUpstreamBody(response.body);
      if (response.status >= 200 && response.status < 300) {
        this.keys.restore(lease.keyId);
        this.logger.log(`key ${lease.label} of ${lease.provider} passed its probe and is back in rotation`);
        return true;
      }
    } catch (error) {
      this.logger.debug(`probe of key ${lease.label} of ${lease.provider} failed: ${String(error)}`);
    }
    return false;
  }
}
