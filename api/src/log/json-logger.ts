import { LOG_LEVELS, type LogLevel } from './log-level.js';
import { maskRedisUrlsIn } from './mask-redis-urls.js';
import { serializeError } from './serialize-error.js';

/** A structured logger: one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger adding `fields` (ids: component, namespace, queue, task...) to every line. */
  child(fields: Record<string, unknown>): Logger;
  /** True when lines of `level` are written (to skip building costly fields). */
  enabled(level: LogLevel): boolean;
}

export interface JsonLoggerOptions {
  /** Lowest level written. Default `info`. */
  level?: LogLevel;
  /** Fields on every line (e.g. `{component: 'taskyard-operator'}`). Default none. */
  fields?: Record<string, unknown>;
  /** Where a finished line (ending in a newline) goes. Default: process.stdout. */
  write?: (line: string, level: LogLevel) => void;
  /** The clock of the `time` field. Default: the system clock. */
  now?: () => Date;
}

/** Errors become their serialized form; every string (messages and stacks too) has its Redis URLs masked. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return serializeError(value);
  if (typeof value === 'string') return maskRedisUrlsIn(value);
  if (typeof value === 'bigint') return String(value);
  return value;
}

const rank = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

/**
 * The one logger of every Taskyard process (worker runtime, beat pods, CLI, console, operator).
 * Each line is `{"time","level","msg",...bound fields,...call fields}`. An Error anywhere in the fields
 * (conventionally under `error`) is written with its name, message, stack and its whole `cause` chain.
 * Redis passwords never reach a line: every Redis URL in it is masked (maskRedisUrl), wherever it sits.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const min = rank(level);
  const bound = options.fields ?? {};
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (rank(lvl) < min) return;
    const record = { time: now().toISOString(), level: lvl, msg, ...bound, ...fields };
    let line: string;
    try {
      line = JSON.stringify(record, replacer);
    } catch (error) {
      line = JSON.stringify({ time: record.time, level: lvl, msg: maskRedisUrlsIn(msg), logError: `fields not serialisable: ${error instanceof Error ? error.message : String(error)}` });
    }
    write(`${line}\n`, lvl);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createJsonLogger({ ...options, fields: { ...bound, ...fields } }),
    enabled: (lvl) => rank(lvl) >= min,
  };
}
