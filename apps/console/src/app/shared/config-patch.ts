import { type HttpClient, HttpErrorResponse } from '@angular/common/http';
import { formatKeyPath } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../core/auth.service';

/** One change of `PATCH /api/config`: set `value` at `path`, or remove what is there. */
export type ConfigPatchOp =
  { path: Array<string | number>; value: unknown } | { path: Array<string | number>; remove: true };

/** A problem the relay found in the patched config; `path` as `model_routing.aliases.fast`. */
export interface ConfigProblem {
  path: string;
  message: string;
  line: number | null;
  column: number | null;
}

export type PatchOutcome =
  /** Saved; `warnings` are problems that did not stop the save (e.g. a mapping to no provider). */
  | { ok: true; warnings: ConfigProblem[] }
  | { ok: false; status: number; message: string; problems: ConfigProblem[] };

/** Why an edit was refused, in words: a stale file, problems shown at their fields, or the relay's message. */
export function refusalMessage(
  refused: Extract<PatchOutcome, { ok: false }>,
  words: { conflict: string; rejected: string },
): string {
  if (refused.status === 409) return words.conflict;
  return refused.problems.length > 0 ? words.rejected : refused.message;
}

/** Applies structured edits to config.yml; a refusal comes back with its problems (never thrown). */
export async function patchConfig(http: HttpClient, ops: ConfigPatchOp[]): Promise<PatchOutcome> {
  try {
    const saved = await firstValueFrom(http.patch<{ warnings?: ConfigProblem[] }>('/api/config', { ops }));
    return { ok: true, warnings: saved?.warnings ?? [] };
  } catch (error) {
    const problems =
      error instanceof HttpErrorResponse
        ? ((error.error as { errors?: ConfigProblem[] } | null)?.errors ?? [])
        : [];
    const status = error instanceof HttpErrorResponse ? error.status : 0;
    return { ok: false, status, message: errorMessage(error), problems };
  }
}

/** The messages of the problems at `path` or below it. */
export function problemsAt(
  problems: readonly ConfigProblem[],
  path: ReadonlyArray<string | number>,
): string[] {
  const at = formatKeyPath(path);
  return problems
    .filter((p) => p.path === at || p.path.startsWith(`${at}.`) || p.path.startsWith(`${at}[`))
    .map((p) => p.message);
}
