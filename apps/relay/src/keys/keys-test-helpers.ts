import { BehaviorSubject } from 'rxjs';
import { MemorySharedStateStore } from '../cluster/memory-shared-state.store';
import {
  defaultProviderConfig,
  defaultProviderKeyConfig,
  defaultRelayConfig,
} from '../config/config-defaults';
import type { ConfigSource } from '../config/config-source';
import type { KeyStrategy, ProviderConfig, ProviderKeyConfig, RelayConfig } from '../config/relay-config';
import { Clock } from './clock';
import type { KeyLease, LeaseResult } from './key-lease';
import { KeysService } from './keys.service';

export class ManualClock extends Clock {
  constructor(public time = Date.parse('2026-03-01T12:00:00Z')) {
    super();
  }

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** A key whose label is its secret, so specs can read which key was leased. */
export function keyWith(secret: string, options: Partial<ProviderKeyConfig> = {}): ProviderKeyConfig {
  return { ...defaultProviderKeyConfig(), key: secret, label: secret, ...options };
}

export function providerWithKeys(
  keys: ProviderKeyConfig[],
  options: Partial<ProviderConfig> = {},
): ProviderConfig {
  return { ...defaultProviderConfig(), ...options, keys };
}

export function keysConfig(
  providers: Record<string, ProviderConfig>,
  strategy: KeyStrategy = 'round-robin',
): RelayConfig {
  const config = defaultRelayConfig();
  config.providers = providers;
  config.key_selection.strategy = strategy;
  return config;
}

/** A ConfigSource whose snapshot can be replaced, like a hot reload. */
export class MutableConfigSource implements ConfigSource {
  readonly changes$: BehaviorSubject<RelayConfig>;

  constructor(config: RelayConfig) {
    this.changes$ = new BehaviorSubject(config);
  }

  get current(): RelayConfig {
    return this.changes$.value;
  }

  reload(config: RelayConfig): void {
    this.changes$.next(config);
  }
}

export interface KeysHarness {
  service: KeysService;
  clock: ManualClock;
  store: MemorySharedStateStore;
  source: MutableConfigSource;
}

export function keysHarness(
  config: RelayConfig,
  shared: { clock?: ManualClock; store?: MemorySharedStateStore } = {},
): KeysHarness {
  const clock = shared.clock ?? new ManualClock();
  const store = shared.store ?? new MemorySharedStateStore(() => clock.now());
  const source = new MutableConfigSource(config);
  return { service: new KeysService(source, store, clock), clock, store, source };
}

/** The lease of a successful result; fails the spec otherwise. */
export function leased(result: LeaseResult): KeyLease {
  if (!result.ok)
    throw new Error(`expected a lease, got ${result.reason} (retry in ${result.retryAfterMs} ms)`);
  return result.lease;
}

/** Lets fire-and-forget store operations settle. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
