// The loopback HTTP server under each fake provider: listening, routing, recording, shutting down.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { flattenHeaders, parseQuery, readFields, sendPage } from './http';
import type { OAuthRecordedRequest } from './types';

/** One request on its way through a route. */
export interface OAuthExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  readonly query: Record<string, string>;
  /** The form (or JSON) body; {} without one. */
  readonly body: Record<string, string>;
}

export type OAuthHandler = (exchange: OAuthExchange) => void;

export interface OAuthServerOptions {
  /** For error texts: "GitHub", "Google". */
  name: string;
  host?: string;
  port?: number;
  /** Handlers by `"METHOD /path"`. */
  routes: Record<string, OAuthHandler>;
  /** Answers requests no route takes. */
  notFound: OAuthHandler;
}

export class OAuthServer {
  readonly requests: OAuthRecordedRequest[] = [];
  private readonly server: Server;
  private readonly host: string;
  private boundPort: number;
  private received = 0;

  private constructor(private readonly options: OAuthServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        sendPage(res, 500, `fake ${options.name} failure: ${message}`);
      });
    });
  }

  static async start(options: OAuthServerOptions): Promise<OAuthServer> {
    const server = new OAuthServer(options);
    await server.listen();
    return server;
  }

  get origin(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port: this.boundPort, host: this.host }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address !== null && typeof address === 'object') this.boundPort = address.port;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? {} : parseQuery(url.slice(queryAt + 1));
    this.received += 1;
    const record: OAuthRecordedRequest = {
      id: this.received,
      method,
      path,
      query,
      headers: flattenHeaders(req.headers),
      body: undefined,
      receivedAt: Date.now(),
      status: undefined,
    };
    this.requests.push(record);
    res.once('finish', () => {
      record.status = res.statusCode;
    });
    const body = await readFields(req);
    record.body = body;
    const handler = this.options.routes[`${method} ${path}`] ?? this.options.notFound;
    handler({ req, res, path, query, body: body ?? {} });
  }
}
