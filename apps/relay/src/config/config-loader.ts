import { type ConfigIssue } from './config-issue';
import { type ConfigFiles, type ConfigSourceFile, readConfigFile } from './config-files';
import { type EnvLike } from './env-expansion';
import { type CliOverrides } from './env-overrides';
import { parseRelayConfig, parseRelayConfigText } from './parse-relay-config';
import { type RelayConfig } from './relay-config';

export type ConfigLoad = {
  source: ConfigSourceFile;
  /** source path + content: equal means nothing changed */ signature: string;
} & (
  | { ok: true; config: RelayConfig; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] }
);

/** Reads whichever file is in charge and turns it into a `RelayConfig` (without the access key). */
export function loadConfig(files: ConfigFiles, env: EnvLike, cli: CliOverrides = {}): ConfigLoad {
  const read = readConfigFile(files);
  if (!read.ok) {
    const error: ConfigIssue = { code: 'syntax', path: '', message: read.message };
    return {
      source: read.source,
      signature: `error:${read.message}`,
      ok: false,
      errors: [error],
      warnings: [],
    };
  }
  const signature = `${read.source.path ?? 'defaults'}\0${read.text ?? ''}`;
  const result =
    read.text === null
      ? parseRelayConfig({}, env, cli)
      : parseRelayConfigText(read.text, { env, cli, file: read.source.path ?? undefined });
  return { source: read.source, signature, ...result };
}
