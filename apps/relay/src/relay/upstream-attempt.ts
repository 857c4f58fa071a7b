import { performance } from 'node:perf_hooks';
import type { KeyLease } from '../keys/key-lease';
import type { RuntimeProvider } from '../providers/runtime-provider';
import type { RouteTarget } from '../routing/route-plan';
import type { AttemptFailure } from './attempt-failure';
import type { ExchangeRecord } from './exchange-record';
import type { PreparedBody, RelayRequest } from './relay-request';
import type { UpstreamRoute } from './upstream-route';

/** `served`: the client got an answer (or an in-band stream error); nothing more to try. */
export type AttemptResult =
  { kind: 'served' } | { kind: 'client_closed' } | { kind: 'failed'; failure: AttemptFailure };

/** One try of one key on one target, and how it is recorded in the exchange. */
export class UpstreamAttempt {
  readonly startedAt = performance.now();

  constructor(
    readonly input: RelayRequest,
    readonly record: ExchangeRecord,
    readonly provider: RuntimeProvider,
    readonly target: RouteTarget,
    readonly lease: KeyLease,
    readonly route: UpstreamRoute,
    readonly prepared: PreparedBody,
    readonly signal: AbortSignal,
  ) {}

  failed(failed: AttemptFailure): AttemptResult {
    failed.detail = `[${this.provider.name}] ${failed.detail}`;
    this.add(failed.outcome, failed.status, failed.detail);
    return { kind: 'failed', failure: failed };
  }

  clientClosed(): AttemptResult {
    this.add('client_closed', null, null);
    return { kind: 'client_closed' };
  }

  /** The upstream is answering: this target serves the request. */
  served(status: number, model: string | null): void {
    const { record } = this;
    record.provider = this.provider.name;
    record.keyLabel = this.lease.label;
    record.servedModel = model ?? this.target.model;
    this.add('success', status, null);
  }

  private add(
    outcome: Parameters<ExchangeRecord['addAttempt']>[3],
    status: number | null,
    detail: string | null,
  ): void {
    this.record.addAttempt(
      this.provider.name,
      this.target.model,
      this.lease.label,
      outcome,
      status,
      this.startedAt,
      detail,
    );
  }
}
