import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EndpointSpec } from './relay-endpoints';

/** One client request, parsed and validated by the controller. */
export interface RelayRequest {
  spec: EndpointSpec;
  request: FastifyRequest;
  reply: FastifyReply;
  /** The parsed JSON body (null for multipart). */
  json: Record<string, unknown> | null;
  raw: Buffer;
  contentType: string;
  model: string;
  wantsStream: boolean;
}

/** What the upstream gets for one target. */
export interface PreparedBody {
  payload: Buffer | string;
  contentType: string;
  /** The relay added `stream_options.include_usage`; its usage-only chunk is not for the client. */
  injectedUsage: boolean;
  /** Request headers for the upstream besides auth and content type. */
  headers: Record<string, string>;
}
