import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ProviderInput,
  ProviderKeyImport,
  ProviderKeyImportResult,
  ProviderKeyInput,
  ProviderModelsResult,
  ProviderTestResult,
  ProviderView,
} from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';

/** One problem the relay found in an edit (422 `errors`), with the config path it concerns. */
export interface ApiProblem {
  path: string;
  message: string;
}

/**
 * `/api/providers`: the providers and their keys (see `libs/contracts/src/providers.ts`). Pages ask
 * for the provider again after a change rather than trusting the shape of a change's answer.
 */
@Injectable({ providedIn: 'root' })
export class ProvidersApiService {
  private readonly http = inject(HttpClient);

  list(): Promise<ProviderView[]> {
    return firstValueFrom(this.http.get<ProviderView[]>('/api/providers'));
  }

  get(name: string): Promise<ProviderView> {
    return firstValueFrom(this.http.get<ProviderView>(providerUrl(name)));
  }

  create(input: ProviderInput): Promise<unknown> {
    return firstValueFrom(this.http.post('/api/providers', input));
  }

  update(name: string, change: Omit<ProviderInput, 'name'>): Promise<unknown> {
    return firstValueFrom(this.http.patch(providerUrl(name), change));
  }

  remove(name: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(providerUrl(name)));
  }

  addKey(name: string, key: ProviderKeyInput): Promise<unknown> {
    return firstValueFrom(this.http.post(`${providerUrl(name)}/keys`, key));
  }

  updateKey(name: string, index: number, change: ProviderKeyInput): Promise<unknown> {
    return firstValueFrom(this.http.patch(keyUrl(name, index), change));
  }

  removeKey(name: string, index: number): Promise<unknown> {
    return firstValueFrom(this.http.delete(keyUrl(name, index)));
  }

  restoreKey(name: string, index: number): Promise<unknown> {
    return firstValueFrom(this.http.post(`${keyUrl(name, index)}/restore`, {}));
  }

  importKeys(name: string, body: ProviderKeyImport): Promise<ProviderKeyImportResult> {
    return firstValueFrom(this.http.post<ProviderKeyImportResult>(`${providerUrl(name)}/keys/import`, body));
  }

  test(name: string, model?: string): Promise<ProviderTestResult> {
    return firstValueFrom(
      this.http.post<ProviderTestResult>(`${providerUrl(name)}/test`, model ? { model } : {}),
    );
  }

  models(name: string): Promise<ProviderModelsResult> {
    return firstValueFrom(this.http.get<ProviderModelsResult>(`${providerUrl(name)}/models`));
  }
}

function providerUrl(name: string): string {
  return `/api/providers/${encodeURIComponent(name)}`;
}

function keyUrl(name: string, index: number): string {
  return `${providerUrl(name)}/keys/${index}`;
}

/** The relay's message for a failed call, and the per-field problems of a rejected edit (422). */
export function describeError(error: unknown): { message: string; problems: ApiProblem[] } {
  const problems =
    error instanceof HttpErrorResponse
      ? ((error.error as { errors?: ApiProblem[] } | null)?.errors ?? [])
      : [];
  return {
    message: errorMessage(error),
    problems: problems.map(({ path, message }) => ({ path, message })),
  };
}
