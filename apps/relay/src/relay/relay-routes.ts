import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RelayAuthGuard } from '../auth/relay-auth.guard';
import type { CountTokensService } from './count-tokens.service';
import { ENDPOINTS, type EndpointSpec } from './relay-endpoints';
import { answerRelayError } from './relay-exception.filter';
import { InvalidRelayRequestError, readRelayRequest } from './relay-input';
import type { RelayRequest } from './relay-request';
import type { RelayService } from './relay.service';

/** One POST endpoint of the relay's `/v1` surface. */
export interface RelayRoute {
  url: string;
  /** Its API (OpenAI or Anthropic) is the spec's `errorShape`. */
  spec: EndpointSpec;
  /** `count_tokens` answers from the tokenizer; everything else is relayed upstream. */
  serve: 'relay' | 'count_tokens';
  summary: string;
}

const route = (
  spec: EndpointSpec,
  summary: string,
  serve: RelayRoute['serve'] = 'relay',
  url = `/v1${spec.path}`,
): RelayRoute => ({ url, spec, serve, summary });

export const RELAY_ROUTES: readonly RelayRoute[] = [
  route(ENDPOINTS.chat, 'Chat completion (stream or not), routed through aliases, keys and fallbacks'),
  route(ENDPOINTS.completions, 'Legacy text completion'),
  route(ENDPOINTS.embeddings, 'Embeddings'),
  route(ENDPOINTS.responses, 'OpenAI Responses API, to upstreams that serve it'),
  route(ENDPOINTS.moderations, 'Moderation'),
  route(ENDPOINTS.images, 'Image generation'),
  route(ENDPOINTS.audioSpeech, 'Text to speech (binary audio answer)'),
  route(ENDPOINTS.audioTranscriptions, 'Speech to text (multipart upload)'),
  route(ENDPOINTS.audioTranslations, 'Speech translation to English (multipart upload)'),
  route(
    ENDPOINTS.messages,
    'Anthropic Messages (stream or not), to any upstream: translated when it speaks OpenAI',
  ),
  route(
    ENDPOINTS.messages,
    'Input tokens of a Messages request for the resolved target',
    'count_tokens',
    '/v1/messages/count_tokens',
  ),
];

export interface RelayRouteServices {
  auth: RelayAuthGuard;
  relay: RelayService;
  tokens: CountTokensService;
}

/**
 * The relayed endpoints are plain Fastify routes, not Nest controllers: on the hot path, Nest's
 * per-request pipeline (execution contexts, the guard and filter consumers, a chain of promises)
 * cost more than the relay's own routing. They authenticate with the same guard and answer errors
 * with the same filter as the Nest routes; `relay-openapi.ts` documents them.
 */
export function registerRelayRoutes(fastify: FastifyInstance, services: RelayRouteServices): void {
  // Errors before the handler (a body over the limit) get the same answer. Set on each route:
  // a route keeps the error handler of the moment it is loaded, which may be before Nest sets its own.
  for (const relayRoute of RELAY_ROUTES) {
    fastify.post(relayRoute.url, { errorHandler: answerRelayError }, (request, reply) =>
      serve(relayRoute, services, request, reply),
    );
  }
}

async function serve(
  relayRoute: RelayRoute,
  { auth, relay, tokens }: RelayRouteServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  try {
    const authenticated = auth.authenticate(request);
    if (authenticated !== true) await authenticated;
    let input: RelayRequest;
    try {
      const read = readRelayRequest(relayRoute.spec, request, reply, relay.defaultModel);
      input = read instanceof Promise ? await read : read;
    } catch (error) {
      if (error instanceof InvalidRelayRequestError)
        return relay.reject(relayRoute.spec, request, reply, error);
      throw error;
    }
    await (relayRoute.serve === 'relay' ? relay.relay(input) : tokens.count(input));
  } catch (error) {
    answerRelayError(error, request, reply);
  }
}
