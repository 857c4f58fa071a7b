import { join } from 'node:path';

export interface FakeLlamaCommandOptions {
  model?: string;
  loadMs?: number;
  exitAfterMs?: number;
  neverReady?: boolean;
  crashOnRequest?: boolean;
  delayMs?: number;
  ignoreSigterm?: boolean;
}

/** Absolute path of the compiled fake llama-server program. */
export const FAKE_LLAMA_SERVER_MAIN = join(__dirname, '..', 'fake-llama-server.main.js');

/**
 * A start command (for `lifecycle.models.<name>.cmd`) that runs the fake llama-server on the port
 * the relay hands out (LLAMA_PORT), with this node binary.
 */
export function fakeLlamaCommand(options: FakeLlamaCommandOptions = {}): string {
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  const args = [quote(process.execPath), quote(FAKE_LLAMA_SERVER_MAIN)];
  if (options.model) args.push('--model', quote(options.model));
  if (options.loadMs) args.push('--load-ms', String(options.loadMs));
  if (options.exitAfterMs) args.push('--exit-after-ms', String(options.exitAfterMs));
  if (options.delayMs) args.push('--delay-ms', String(options.delayMs));
  if (options.neverReady) args.push('--never-ready');
  if (options.crashOnRequest) args.push('--crash-on-request');
  if (options.ignoreSigterm) args.push('--ignore-sigterm');
  return `exec ${args.join(' ')}`;
}
