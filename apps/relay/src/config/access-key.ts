import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AccessKeyResolution {
  key: string;
  /** True only when this call created the key (and its file). */
  generated: boolean;
  /** The file the key lives in; null when it came from the config or the environment. */
  file: string | null;
}

/** `mr-` and 40 URL-safe characters (240 random bits). */
export function generateAccessKey(): string {
  return `mr-${randomBytes(30).toString('base64url')}`;
}

/**
 * The configured key when there is one; else the key saved in `<dataDir>/access_key`; else a new key,
 * saved there with mode 0600 so it survives restarts. Throws when the key cannot be saved.
 */
export function resolveAccessKey(configured: string, dataDir: string): AccessKeyResolution {
  if (configured !== '') return { key: configured, generated: false, file: null };
  const file = join(dataDir, 'access_key');
  const saved = readSavedKey(file);
  if (saved) return { key: saved, generated: false, file };

  const key = generateAccessKey();
  try {
    mkdirSync(dataDir, { recursive: true });
    // 'wx' so two processes starting together on one data dir cannot overwrite each other's key.
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: saved === '' ? 'w' : 'wx' });
  } catch (error) {
    const raced = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readSavedKey(file) : null;
    if (raced) return { key: raced, generated: false, file };
    throw new Error(
      `server.access_key is empty and the generated key could not be saved to ${file}: ${(error as Error).message}. ` +
        'Set server.access_key or MONORELAY_ACCESS_KEY, or make the data directory writable.',
      { cause: error },
    );
  }
  return { key, generated: true, file };
}

/** The saved key; '' for an empty file; null when there is no file. */
function readSavedKey(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new Error(`cannot read the saved access key ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
