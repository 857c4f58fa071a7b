import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import type { ErrorShape } from './relay-endpoints';
import { RELAY_ROUTES, type RelayRoute } from './relay-routes';

const TAGS: Record<ErrorShape, string> = {
  openai: 'OpenAI-compatible relay',
  anthropic: 'Anthropic-compatible relay',
};

const ANTHROPIC_HEADERS: ParameterObject[] = ['anthropic-version', 'anthropic-beta'].map((name) => ({
  name,
  in: 'header',
  required: false,
  description: 'Passed through to Anthropic upstreams',
  schema: { type: 'string' },
}));

/** Every answer is in the client API's shape; these are the statuses the relay itself chooses. */
const RESPONSES: OperationObject['responses'] = {
  200: { description: 'The upstream’s answer (an SSE stream when `stream: true`)' },
  400: { description: 'Malformed request, or the upstream’s 400 passed through' },
  401: { description: 'Missing or unknown key' },
  404: { description: 'Unknown model' },
  413: { description: 'Body over `relay.max_body_bytes` (`max_upload_bytes` for uploads)' },
  429: { description: 'Rate limited; `Retry-After` says when to retry' },
  502: { description: 'No upstream could be reached' },
  504: { description: 'The upstream timed out' },
};

function operationOf(relayRoute: RelayRoute): OperationObject {
  const multipart = relayRoute.spec.body === 'multipart';
  const anthropic = relayRoute.spec.errorShape === 'anthropic';
  return {
    tags: [TAGS[relayRoute.spec.errorShape]],
    summary: relayRoute.summary,
    security: anthropic ? [{ bearer: [] }, { 'x-api-key': [] }] : [{ bearer: [] }],
    parameters: anthropic ? ANTHROPIC_HEADERS : [],
    requestBody: {
      required: true,
      content: multipart
        ? { 'multipart/form-data': { schema: { type: 'object' } } }
        : { 'application/json': { schema: { type: 'object' } } },
    },
    responses: RESPONSES,
  };
}

/** Adds the relayed endpoints, served outside Nest (`relay-routes.ts`), to the Swagger document. */
export function documentRelayRoutes(document: OpenAPIObject): OpenAPIObject {
  for (const relayRoute of RELAY_ROUTES) {
    document.paths[relayRoute.url] = { ...document.paths[relayRoute.url], post: operationOf(relayRoute) };
  }
  return document;
}
