import { createJsonLogger, LOG_LEVELS, type Logger, type LogLevel } from '@taskyard/api';
import type { TaskLogger } from './task-context.js';

/** The runtime's logger: Taskyard's one JSON-lines logger (api/src/log), also handed to tasks as ctx.logger. */
export type JsonLogger = Logger & TaskLogger;

/**
 * JSON lines on stdout (`{"time","level","msg",…bound ids,…fields}`), errors with stack and cause,
 * Redis URLs masked. An unknown `level` falls back to info (the CLI rejects it before this point).
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, write: (line: string) => void = (l) => process.stdout.write(l)): JsonLogger {
  const known = (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'info';
  return createJsonLogger({ level: known, fields: bindings, write: (line) => write(line) });
}
