export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured JSON-lines logger: `{"time","level","msg",...fields}` on stdout (errors on stderr). */
export class Logger {
  readonly #level: LogLevel;
  readonly #fields: Record<string, unknown>;

  constructor(level: LogLevel = 'info', fields: Record<string, unknown> = {}) {
    this.#level = level;
    this.#fields = fields;
  }

  /** A logger adding `fields` to every line (ids: kind, namespace, name...). */
  child(fields: Record<string, unknown>): Logger {
    return new Logger(this.#level, { ...this.#fields, ...fields });
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.#write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.#write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.#write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.#write('error', msg, fields);
  }

  #write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (order[level] < order[this.#level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...this.#fields, ...fields }, errorReplacer);
    (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
