/** Which relay API a request came in on; routing and transformations differ per endpoint. */
export type RelayEndpoint =
  | 'chat'
  | 'completions'
  | 'embeddings'
  | 'responses'
  | 'moderations'
  | 'images'
  | 'audio_transcriptions'
  | 'audio_translations'
  | 'audio_speech'
  | 'messages';

export interface RouteRequest {
  /** The model exactly as the client sent it. */
  model: string;
  endpoint: RelayEndpoint;
  /**
   * The prompt's text for complexity routing. A function so it is only computed when complexity
   * routing actually runs (it walks every message).
   */
  promptText?: () => string;
}

export interface RouteTarget {
  provider: string;
  /** The model name sent upstream. */
  model: string;
  /** `requested`: a target of the model the client asked for; `cascade`: a fallback-chain entry. */
  stage: 'requested' | 'cascade';
  /** Human-readable reason, e.g. "alias fast -> gpt-4o-mini; include list of openai". */
  why: string;
}

export interface RoutePlan {
  /** The model as the client sent it. */
  requested: string;
  /** The model after aliases, overrides and complexity routing. */
  resolved: string;
  /** Ordered, de-duplicated targets to try. */
  targets: RouteTarget[];
  /** Every routing decision taken, in order (for headers, logs and the route simulator). */
  steps: string[];
}

/** No enabled provider serves the model; `available` lists what the client could ask for. */
export class UnknownModelError extends Error {
  constructor(
    readonly model: string,
    readonly available: string[],
  ) {
    super(`The model '${model}' does not exist or is not served by any enabled provider`);
    this.name = 'UnknownModelError';
  }
}

/** What a client is told for an unknown model: the error and up to 20 models it could ask for. */
export function unknownModelMessage(error: UnknownModelError): string {
  const shown = error.available.slice(0, 20);
  const hint = shown.length > 0 ? ` Available models: ${shown.join(', ')}` : '';
  const more = error.available.length > 20 ? ', ...' : '';
  return `${error.message}.${hint}${more} (GET /v1/models lists them all)`;
}
