/** pino's levels; MonoRelay's Python spellings (WARNING, CRITICAL) are accepted and mapped. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const ALIASES: Record<string, LogLevel> = { warning: 'warn', critical: 'fatal' };

export const ACCEPTED_LOG_LEVELS: readonly string[] = [...LOG_LEVELS, ...Object.keys(ALIASES)];

/** Lower-cases and maps aliases; returns null for an unknown level. */
export function normalizeLogLevel(level: string): LogLevel | null {
  const lower = level.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(lower)) return lower as LogLevel;
  return ALIASES[lower] ?? null;
}
