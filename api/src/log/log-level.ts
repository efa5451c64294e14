/** Log levels in increasing severity; a logger drops lines below its threshold. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Reads a log level (e.g. from TASKYARD_LOG_LEVEL or `--log-level`). Undefined or empty gives `fallback`;
 * anything else not a level throws an error naming `field` and the accepted values.
 */
export function parseLogLevel(text: string | undefined, field: string, fallback: LogLevel = 'info'): LogLevel {
  if (text === undefined || text === '') return fallback;
  const level = text.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new Error(`${field}=${JSON.stringify(text)} is not a log level: use debug, info, warn or error`);
}
