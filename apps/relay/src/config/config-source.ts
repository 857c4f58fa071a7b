import type { Observable } from 'rxjs';
import type { RelayConfig } from './relay-config';

/**
 * What the rest of the relay needs from configuration: the current snapshot and a stream of
 * accepted replacements. An abstract class so it can serve as a Nest injection token.
 */
export abstract class ConfigSource {
  abstract readonly current: RelayConfig;
  abstract readonly changes$: Observable<RelayConfig>;
}
