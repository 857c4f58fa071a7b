import { type LoggerService } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type RuntimeOptions } from '../../runtime-options';

/** Helpers for the config specs and integration tests (not used by the relay itself). */

export interface TempDir {
  path: string;
  remove(): void;
}

export function makeTempDir(prefix = 'monorelay-config-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function runtimeOptions(overrides: Partial<RuntimeOptions> & { dataDir: string }): RuntimeOptions {
  return { env: {}, watchConfig: false, ...overrides };
}

/** The repository root, found from the compiled file's location. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'config', 'config.example.yml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

export function readExampleConfig(): string {
  return readFileSync(join(repoRoot(), 'config', 'config.example.yml'), 'utf8');
}

/** The variables `config/config.example.yml` references without a fallback. */
export const EXAMPLE_ENV: Readonly<Record<string, string>> = {
  OPENROUTER_API_KEY: 'sk-or-v1-example',
  NVIDIA_API_KEY: 'nvapi-example',
  OPENAI_API_KEY: 'sk-example',
  DEEPSEEK_API_KEY: 'sk-deepseek-example',
  GROQ_API_KEY: 'gsk_example',
};

export interface LogLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
}

/** A Nest logger that keeps what it is given (install with `Logger.overrideLogger(logs)`). */
export class CapturedLogs implements LoggerService {
  readonly lines: LogLine[] = [];

  log(message: unknown): void {
    this.push('log', message);
  }
  error(message: unknown): void {
    this.push('error', message);
  }
  warn(message: unknown): void {
    this.push('warn', message);
  }
  debug(message: unknown): void {
    this.push('debug', message);
  }
  verbose(message: unknown): void {
    this.push('verbose', message);
  }
  fatal(message: unknown): void {
    this.push('fatal', message);
  }

  at(level: LogLine['level']): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }

  all(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }

  clear(): void {
    this.lines.length = 0;
  }

  private push(level: LogLine['level'], message: unknown): void {
    this.lines.push({ level, message: String(message) });
  }
}
