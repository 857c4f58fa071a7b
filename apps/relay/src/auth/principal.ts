/** Who is calling the relay. Per-user relay keys and sessions add kinds here later. */
export interface Principal {
  kind: 'access_key';
  /** Stable id for logs and per-principal limits. */
  id: string;
  /** Display name. */
  name: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
