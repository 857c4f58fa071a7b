import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** Nest's start-up chatter (one line per module and route) is debug-level here. */
const QUIET_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

const NEST_TO_PINO = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
} as const;

/**
 * The process log: pino JSON lines (human-readable when attached to a terminal), behind Nest's
 * LoggerService so every module's `new Logger(context)` writes through it.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  setLevel(level: string): void {
    this.pino.level = normalizeLevel(level);
  }

  private write(level: keyof typeof NEST_TO_PINO, message: unknown, rest: unknown[]): void {
    // Nest passes the context last; an error's stack comes before it.
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const method = level === 'log' && context && QUIET_CONTEXTS.has(context) ? 'debug' : NEST_TO_PINO[level];
    if (!this.pino.isLevelEnabled(method)) return;
    const stack = level === 'error' && rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) this.pino[method]({ context, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[method]({ context, ...message });
    else this.pino[method]({ context, ...(stack ? { stack } : {}) }, String(message));
  }
}

export function normalizeLevel(level: string): string {
  const lower = level.toLowerCase();
  if (lower === 'warning') return 'warn';
  if (lower === 'critical') return 'fatal';
  return ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(lower) ? lower : 'info';
}

export function createProcessLogger(level: string): PinoNestLogger {
  const pretty = process.stdout.isTTY && !process.env.CI;
  return new PinoNestLogger(
    pino({
      level: normalizeLevel(level),
      base: undefined,
      ...(pretty
        ? {
            transport: {
              target: 'pino-pretty',
              options: { ignore: 'context', messageFormat: '[{context}] {msg}' },
            },
          }
        : {}),
    }),
  );
}
