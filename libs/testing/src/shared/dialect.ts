// What makes a fake speak one provider's protocol: its headers, error bodies, credentials and admission rules.
// The shared machinery (rules, recording, delivery, faults, lifecycle) asks the dialect whenever it must say
// something in the provider's words.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Endpoint, RouteMatch } from './reply';

/** A refusal before an endpoint runs: the status and the provider's error object. */
export interface Rejection<E> {
  status: number;
  error: E;
}

/** What the dialect knows about a request when it decides whether to admit it. */
export interface Admission<R, E> {
  headers: IncomingHttpHeaders;
  key: string | undefined;
  /** undefined: every key is accepted. */
  acceptedKeys: ReadonlySet<string> | undefined;
  endpoint: Endpoint<R, E>;
}

/** How a dialect words its responses: what delivery needs. */
export interface ResponseDialect<E> {
  /** Headers every response carries; `success` marks a 2xx answer (rate-limit windows and the like). */
  headers(contentType: string, success: boolean, requestId: string, receivedAt: number): OutgoingHttpHeaders;
  /** The serialised error body. */
  errorBody(error: E, requestId: string): string;
  /** The error a status gets when a behaviour names none. */
  errorForStatus(status: number): E;
  /** The error of a 200 whose body is an error (a non-stream `errorEvent`), `error` merged over the default. */
  inBandError(error: Partial<E> | undefined): E;
}

export interface Dialect<R, E, X extends object = object> extends ResponseDialect<E> {
  /** The path prefix of `baseUrl`: `/v1` for OpenAI (clients append `/chat/completions`), '' for Anthropic. */
  readonly baseUrlPath: string;
  readonly defaultModels: readonly string[];
  findRoute(method: string, path: string): RouteMatch<R, E> | undefined;
  newRequestId(): string;
  /** The fake itself failed (a bug): the 500 it answers. */
  internalError(message: string): E;
  /** The API key a request carries. */
  keyOf(headers: IncomingHttpHeaders): string | undefined;
  /** After the body is read: a refusal (bad key, missing version header…), or undefined to go on. */
  admit(admission: Admission<R, E>): Rejection<E> | undefined;
  unknownRoute(method: string, path: string): Rejection<E>;
  /** The body is not what the endpoint reads (`message` says why). */
  unreadableBody(endpoint: Endpoint<R, E>, message: string): E;
  /** Fields the dialect adds to each recorded request. */
  recordExtras(headers: IncomingHttpHeaders): X;
}
