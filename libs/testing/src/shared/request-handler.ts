// The request path of a fake: record, route, read, admit (key, headers), pick a behaviour, answer.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { deliver, sendError, sendStatus } from './delivery';
import type { Dialect } from './dialect';
import { Exchange } from './exchange';
import type { EndpointContext, RouteMatch } from './reply';
import { UnreadableBody, readBody } from './request-body';
import type { RuleBook } from './rule-book';
import type { AnyBehaviour, DeliveryOptions, RecordedRequest } from './types';

export interface UpstreamState<R extends DeliveryOptions, E, X extends object> {
  readonly dialect: Dialect<R, E, X>;
  readonly rules: RuleBook<AnyBehaviour<E>>;
  /** undefined when recording is off. */
  readonly requests: (RecordedRequest & X)[] | undefined;
  readonly acceptedKeys: ReadonlySet<string> | undefined;
  readonly defaultReply: R;
  readonly models: readonly string[];
  readonly closedByServer: WeakSet<Socket>;
  origin: string;
  recordedCount: number;
}

export function handleRequest<R extends DeliveryOptions, E, X extends object>(
  state: UpstreamState<R, E, X>,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  serve(state, req, res).catch((error: unknown) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const body = state.dialect.errorBody(
      state.dialect.internalError(`fake upstream failure: ${message}`),
      '',
    );
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(body);
  });
}

async function serve<R extends DeliveryOptions, E, X extends object>(
  state: UpstreamState<R, E, X>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { dialect } = state;
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const key = dialect.keyOf(req.headers);
  const record = state.requests && recordRequest(state, state.requests, req, path, query, key);
  const exchange = new Exchange(req, res, record, state.closedByServer, dialect, dialect.newRequestId());

  const route = dialect.findRoute(method, path);
  if (route === undefined) {
    req.resume();
    const rejection = dialect.unknownRoute(method, path);
    sendError(exchange, rejection.status, rejection.error);
    return;
  }

  let body: Record<string, unknown> | undefined;
  let unreadable: UnreadableBody | undefined;
  try {
    body = await readBody(req, route.endpoint.bodyKind);
  } catch (error) {
    if (!(error instanceof UnreadableBody)) return; // the client went away mid-body
    unreadable = error;
  }
  if (record) record.body = body;

  // Like the real APIs: the key (and required headers) are checked before the body is judged.
  if (!route.endpoint.public) {
    const rejection = dialect.admit({
      headers: req.headers,
      key,
      acceptedKeys: state.acceptedKeys,
      endpoint: route.endpoint,
    });
    if (rejection !== undefined) {
      sendError(exchange, rejection.status, rejection.error);
      return;
    }
  }
  if (unreadable !== undefined) {
    sendError(exchange, 400, dialect.unreadableBody(route.endpoint, unreadable.message));
    return;
  }

  const model = typeof body?.model === 'string' ? body.model : undefined;
  const behaviour = state.rules.isEmpty ? undefined : state.rules.take({ model, key, path });
  const context = { body: body ?? {}, query, pathParameter: route.pathParameter };
  await answer(state, exchange, route, context, behaviour);
}

type RequestContext = Pick<EndpointContext<unknown>, 'body' | 'query' | 'pathParameter'>;

async function answer<R extends DeliveryOptions, E, X extends object>(
  state: UpstreamState<R, E, X>,
  exchange: Exchange<E>,
  route: RouteMatch<R, E>,
  request: RequestContext,
  behaviour: AnyBehaviour<E> | undefined,
): Promise<void> {
  if (behaviour === undefined) {
    const reply = route.endpoint.answer(context(state, request, state.defaultReply));
    await deliver(exchange, reply, { kind: 'ok' }, state.defaultReply);
    return;
  }
  switch (behaviour.kind) {
    case 'status':
      sendStatus(exchange, behaviour);
      return;
    case 'hang':
      return; // the connection stays open until the client or close() ends it
    case 'reset':
      exchange.resetConnection();
      return;
  }
  // Every answering behaviour carries the fake's reply options (see `BehaviourOf`).
  const options = { ...state.defaultReply, ...behaviour } as R;
  // slowFirstToken's delayMs is the wait for the first token; its headers go out at once.
  if (behaviour.kind === 'slowFirstToken') options.delayMs = 0;
  const reply = route.endpoint.answer(context(state, request, options));
  await deliver(exchange, reply, behaviour, options);
}

function context<R extends DeliveryOptions, E, X extends object>(
  state: UpstreamState<R, E, X>,
  request: RequestContext,
  reply: R,
): EndpointContext<R> {
  return { ...request, reply, models: state.models, origin: state.origin };
}

function recordRequest<R extends DeliveryOptions, E, X extends object>(
  state: UpstreamState<R, E, X>,
  requests: (RecordedRequest & X)[],
  req: IncomingMessage,
  path: string,
  query: string,
  key: string | undefined,
): RecordedRequest & X {
  state.recordedCount += 1;
  const record: RecordedRequest & X = {
    id: state.recordedCount,
    method: req.method ?? 'GET',
    path,
    query,
    headers: flattenHeaders(req.headers),
    body: undefined,
    key,
    receivedAt: Date.now(),
    status: undefined,
    aborted: false,
    abortedAt: undefined,
    ...state.dialect.recordExtras(req.headers),
  };
  requests.push(record);
  return record;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
