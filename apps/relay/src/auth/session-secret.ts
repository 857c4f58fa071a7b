import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SessionSecretResolution {
  secret: string;
  /** True only when this call created the secret (and its file). */
  generated: boolean;
  /** `<dataDir>/session_secret` when the secret lives there; null when it came from the config. */
  file: string | null;
}

/**
 * `auth.session_secret` when set; else the secret saved in `<dataDir>/session_secret`; else a new
 * one (256 random bits), saved there with mode 0600 so sessions survive restarts. Same rules as the
 * generated access key (`config/access-key.ts`). Throws when the secret cannot be saved.
 */
export function resolveSessionSecret(configured: string, dataDir: string): SessionSecretResolution {
  if (configured !== '') return { secret: configured, generated: false, file: null };
  const file = join(dataDir, 'session_secret');
  const saved = readSaved(file);
  if (saved) return { secret: saved, generated: false, file };

  const secret = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': two processes starting together on one data dir must not overwrite each other's secret.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: saved === '' ? 'w' : 'wx' });
  } catch (error) {
    const raced = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readSaved(file) : null;
    if (raced) return { secret: raced, generated: false, file };
    throw new Error(
      `auth.session_secret is empty and the generated secret could not be saved to ${file}: ${(error as Error).message}. ` +
        'Set auth.session_secret (or MONORELAY_SESSION_SECRET), or make the data directory writable.',
      { cause: error },
    );
  }
  return { secret, generated: true, file };
}

/** The saved secret; '' for an empty file; null when there is no file. */
function readSaved(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new Error(`cannot read the saved session secret ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
