// A fake upstream's loopback HTTP server: listening, going down and coming back, rules, recorded requests.
import { type Server, createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Dialect } from './dialect';
import { type UpstreamState, handleRequest } from './request-handler';
import { RuleBook } from './rule-book';
import type {
  AnyBehaviour,
  DeliveryOptions,
  FakeUpstream,
  FakeUpstreamOptions,
  RecordedRequest,
  RuleHandle,
  RuleMatch,
  RuleOptions,
} from './types';

/** Starts a fake upstream speaking `dialect` on 127.0.0.1 (a free port unless `port` is given). */
export async function startFakeUpstream<
  R extends DeliveryOptions,
  E,
  B extends AnyBehaviour<E>,
  X extends object,
>(dialect: Dialect<R, E, X>, options: FakeUpstreamOptions<R>): Promise<FakeUpstream<B, RecordedRequest & X>> {
  const upstream = new FakeUpstreamServer<R, E, B, X>(dialect, options);
  await upstream.comeBack();
  return upstream;
}

class FakeUpstreamServer<
  R extends DeliveryOptions,
  E,
  B extends AnyBehaviour<E>,
  X extends object,
> implements FakeUpstream<B, RecordedRequest & X> {
  private readonly host: string;
  private boundPort: number;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly recorded: (RecordedRequest & X)[] = [];
  private readonly state: UpstreamState<R, E, X>;
  private listening = false;
  private closed = false;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private settleRecovery: (() => void) | undefined;

  constructor(
    private readonly dialect: Dialect<R, E, X>,
    options: FakeUpstreamOptions<R>,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
    this.state = {
      dialect,
      rules: new RuleBook(),
      requests: options.recordRequests === false ? undefined : this.recorded,
      acceptedKeys: options.keys ? new Set(options.keys) : undefined,
      defaultReply: options.defaultReply ?? ({} as R),
      models: options.models ?? dialect.defaultModels,
      closedByServer: new WeakSet(),
      origin: '',
      recordedCount: 0,
    };
    this.server = createServer({ keepAliveTimeout: 5_000 }, (req, res) =>
      handleRequest(this.state, req, res),
    );
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get origin(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
  }

  get baseUrl(): string {
    return `${this.origin}${this.dialect.baseUrlPath}`;
  }

  get port(): number {
    return this.boundPort;
  }

  get isUp(): boolean {
    return this.listening;
  }

  get requests(): readonly (RecordedRequest & X)[] {
    return this.recorded;
  }

  when(match: RuleMatch, behaviour: B, options: RuleOptions = {}): RuleHandle {
    return this.state.rules.add(match, behaviour, options.times);
  }

  reset(): void {
    this.state.rules.clear();
    this.recorded.length = 0;
  }

  async comeBack(): Promise<void> {
    if (this.closed) throw new Error('the fake upstream is closed');
    this.cancelRecovery();
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen({ port: this.boundPort, host: this.host }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    if (address !== null && typeof address === 'object') this.boundPort = address.port;
    this.state.origin = this.origin;
    this.listening = true;
  }

  async goDown(): Promise<void> {
    this.cancelRecovery();
    await this.stopListening();
  }

  async downFor(ms: number): Promise<{ recovered: Promise<void> }> {
    await this.goDown();
    const recovered = new Promise<void>((resolve, reject) => {
      this.settleRecovery = resolve;
      this.recoveryTimer = setTimeout(() => {
        this.recoveryTimer = undefined;
        this.settleRecovery = undefined;
        this.comeBack().then(resolve, reject);
      }, ms);
    });
    return { recovered };
  }

  async close(): Promise<void> {
    this.cancelRecovery();
    this.state.rules.clear();
    this.closed = true;
    await this.stopListening();
  }

  /** A pending `downFor` recovery is dropped; its `recovered` promise settles at once. */
  private cancelRecovery(): void {
    if (this.recoveryTimer !== undefined) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    this.settleRecovery?.();
    this.settleRecovery = undefined;
  }

  private async stopListening(): Promise<void> {
    const wasListening = this.listening;
    this.listening = false;
    const stopped = wasListening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    for (const socket of this.sockets) {
      this.state.closedByServer.add(socket);
      socket.destroy();
    }
    await stopped;
  }
}
