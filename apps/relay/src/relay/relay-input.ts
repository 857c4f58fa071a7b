import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseMultipart } from './multipart-body';
import type { EndpointSpec } from './relay-endpoints';
import type { RelayRequest } from './relay-request';

/** The client's request is malformed; answered with 400 in OpenAI's error shape. */
export class InvalidRelayRequestError extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/**
 * Validates the parts of a request the relay itself relies on; the upstream validates the rest.
 * `fallbackModel` (lifecycle.default_model) stands in for a model the client left out. JSON bodies
 * are read synchronously (no promise on the hot path); multipart bodies are parsed asynchronously.
 */
export function readRelayRequest(
  spec: EndpointSpec,
  request: FastifyRequest,
  reply: FastifyReply,
  fallbackModel = '',
): RelayRequest | Promise<RelayRequest> {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  return spec.body === 'multipart'
    ? readMultipartRequest(spec, request, reply, raw, fallbackModel)
    : readJsonRequest(spec, request, reply, raw, fallbackModel);
}

async function readMultipartRequest(
  spec: EndpointSpec,
  request: FastifyRequest,
  reply: FastifyReply,
  raw: Buffer,
  fallbackModel: string,
): Promise<RelayRequest> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new InvalidRelayRequestError('This endpoint expects a multipart/form-data body.');
  }
  let fields: Map<string, string>;
  try {
    fields = (await parseMultipart(raw, contentType)).fields;
  } catch (error) {
    throw new InvalidRelayRequestError(`The multipart body could not be parsed: ${(error as Error).message}`);
  }
  const model = fields.get('model') || spec.defaultModel || fallbackModel;
  if (!model)
    throw new InvalidRelayRequestError(
      'You must provide a model parameter.',
      'model',
      'missing_required_parameter',
    );
  return {
    spec,
    request,
    reply,
    json: null,
    raw,
    contentType,
    model,
    wantsStream: fields.get('stream') === 'true',
  };
}

function readJsonRequest(
  spec: EndpointSpec,
  request: FastifyRequest,
  reply: FastifyReply,
  body: Buffer,
  fallbackModel: string,
): RelayRequest {
  let raw = body;
  if (raw.length === 0) throw new InvalidRelayRequestError('The request body is empty: send a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new InvalidRelayRequestError(
      'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.',
      null,
      'invalid_json',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRelayRequestError('The request body must be a JSON object.', null, 'invalid_json');
  }
  let json = parsed as Record<string, unknown>;
  if (json.model === undefined && !spec.defaultModel && fallbackModel) {
    json = { ...json, model: fallbackModel };
    raw = Buffer.from(JSON.stringify(json));
  }
  const model = json.model ?? spec.defaultModel;
  if (typeof model !== 'string' || model.trim() === '') {
    throw new InvalidRelayRequestError(
      'You must provide a model parameter.',
      'model',
      'missing_required_parameter',
    );
  }
  if (spec.requiredArray && !Array.isArray(json[spec.requiredArray])) {
    throw new InvalidRelayRequestError(
      `Missing required parameter: '${spec.requiredArray}' (an array).`,
      spec.requiredArray,
      'missing_required_parameter',
    );
  }
  if (json.stream !== undefined && typeof json.stream !== 'boolean') {
    throw new InvalidRelayRequestError("'stream' must be a boolean.", 'stream', 'invalid_type');
  }
  return {
    spec,
    request,
    reply,
    json,
    raw,
    contentType: 'application/json',
    model,
    wantsStream: json.stream === true && spec.streamKind !== null,
  };
}
