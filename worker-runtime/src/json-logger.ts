import type { TaskLogger } from './task-context.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

/** A TaskLogger that can bind more fields. */
export interface JsonLogger extends TaskLogger {
  child(fields: Record<string, unknown>): JsonLogger;
  enabled(level: Level): boolean;
}

/**
 * JSON lines on stdout: `{"time":"…","level":"info","msg":"…", …bound ids, …fields}`.
 * Lines below `level` (debug < info < warn < error) are dropped before being formatted.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, write: (line: string) => void = (l) => process.stdout.write(l)): JsonLogger {
  const min = LEVELS[(level in LEVELS ? level : 'info') as Level];
  const log = (lvl: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[lvl] < min) return;
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...bindings, ...fields });
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...bindings, note: 'fields were not serialisable' });
    }
    write(line + '\n');
  };
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger(level, { ...bindings, ...fields }, write),
    enabled: (lvl) => LEVELS[lvl] >= min,
  };
}
