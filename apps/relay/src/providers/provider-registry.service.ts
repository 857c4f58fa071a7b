import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Agent, Pool } from 'undici';
import type { Subscription } from 'rxjs';
import { ConfigSource } from '../config/config-source';
import type { ProviderConfig, RelayConfig } from '../config/relay-config';
import { AnthropicAdapter } from './adapters/anthropic/anthropic.adapter';
import { OpenAiAdapter } from './adapters/openai/openai.adapter';
import type { ProviderAdapter } from './provider-adapter';
import {
  GENERIC_ANTHROPIC_COMPATIBLE,
  GENERIC_OPENAI_COMPATIBLE,
  LOCAL_LLAMA_CPP,
  findPreset,
} from './provider-presets';
import type { RuntimeProvider } from './runtime-provider';

interface Entry {
  provider: RuntimeProvider;
  /** The provider's config serialized: an unchanged provider keeps its connection pool on reload. */
  fingerprint: string;
}

/**
 * Turns the configured providers into callable {@link RuntimeProvider}s and keeps one connection
 * pool per provider across config reloads. Pools of removed or changed providers are closed
 * gracefully: requests already running on them finish first.
 */
@Injectable()
export class ProviderRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(ProviderRegistry.name);
  private readonly adapters = {
    openai: new OpenAiAdapter(),
    anthropic: new AnthropicAdapter(),
  } satisfies Record<string, ProviderAdapter>;
  private entries = new Map<string, Entry>();
  private readonly subscription: Subscription;

  constructor(private readonly config: ConfigSource) {
    this.apply(config.current);
    this.subscription = config.changes$.subscribe((next) => this.apply(next));
  }

  /** The enabled provider of that name in the current configuration. */
  get(name: string): RuntimeProvider | undefined {
    return this.entries.get(name)?.provider;
  }

  all(): RuntimeProvider[] {
    return [...this.entries.values()].map((entry) => entry.provider);
  }

  /** After the HTTP server has closed (in-flight requests done): close every pool. */
  async onApplicationShutdown(): Promise<void> {
    this.subscription.unsubscribe();
    const pools = [...this.entries.values()].map((entry) => entry.provider.dispatcher.close());
    this.entries = new Map();
    await Promise.allSettled(pools);
  }

  private apply(config: RelayConfig): void {
    const next = new Map<string, Entry>();
    for (const [name, providerConfig] of Object.entries(config.providers)) {
      if (!providerConfig.enabled) continue;
      const fingerprint = JSON.stringify(providerConfig);
      const previous = this.entries.get(name);
      if (previous && previous.fingerprint === fingerprint) {
        next.set(name, previous);
        continue;
      }
      const provider = this.build(name, providerConfig);
      if (provider) next.set(name, { provider, fingerprint });
    }
    for (const [name, entry] of this.entries) {
      if (next.get(name) !== entry) {
        entry.provider.dispatcher.close().catch((error: unknown) => {
          this.logger.warn(`closing the connection pool of provider ${name} failed: ${String(error)}`);
        });
      }
    }
    this.entries = next;
  }

  private build(name: string, config: ProviderConfig): RuntimeProvider | null {
    if (config.provider_type === 'local') return this.buildLocal(name, config);
    const adapter = this.adapterFor(config);
    if (!adapter) {
      this.logger.warn(
        `provider ${name}: provider_type '${config.provider_type}' is not served yet; skipped`,
      );
      return null;
    }
    const preset = findPreset(name, config.base_url, config.provider_type);
    const baseUrl = config.base_url || preset?.baseUrl;
    if (!baseUrl) {
      this.logger.warn(`provider ${name}: no base_url and no preset matches its name; skipped`);
      return null;
    }
    const url = new URL(baseUrl);
    return {
      name,
      config,
      preset:
        preset ??
        (config.provider_type === 'anthropic' ? GENERIC_ANTHROPIC_COMPATIBLE : GENERIC_OPENAI_COMPATIBLE),
      origin: url.origin,
      basePath: url.pathname.replace(/\/+$/, ''),
      dispatcher: new Pool(url.origin, {
        connections: 256,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: Math.min(config.timeout, 10) * 1000 },
      }),
      adapter,
    };
  }

  /**
   * A local provider's models each run on their own port, known only once started: the relay
   * path gives each attempt the model's origin (LifecycleService); one agent pools them all.
   */
  private buildLocal(name: string, config: ProviderConfig): RuntimeProvider {
    return {
      name,
      config,
      preset: LOCAL_LLAMA_CPP,
      origin: 'http://127.0.0.1',
      basePath: '/v1',
      dispatcher: new Agent({
        connections: 64,
        pipelining: 1,
        keepAliveTimeout: 10_000,
        connect: { timeout: Math.min(config.timeout, 10) * 1000 },
      }),
      adapter: this.adapters.openai,
    };
  }

  private adapterFor(config: ProviderConfig): ProviderAdapter | undefined {
    if (config.provider_type === 'api') return this.adapters.openai;
    if (config.provider_type === 'anthropic') return this.adapters.anthropic;
    return undefined;
  }
}
