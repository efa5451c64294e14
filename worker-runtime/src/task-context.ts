/** A JSON-lines logger bound to one task (its lines carry taskId, task and attempt). */
export interface TaskLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Options of `ctx.retry()`. */
export interface RetryOptions {
  /** Delay before the next attempt in ms; default: the task's backoff. */
  delay?: number;
  /** The error that caused the retry (kept as the attempt's error); default a generic TaskRetry error. */
  error?: unknown;
}

/**
 * What a handler receives as its first argument (Celery's bound `self` / `self.request`).
 */
export interface TaskContext {
  /** The task id (BullMQ job id). */
  readonly id: string;
  /** The task name. */
  readonly name: string;
  /** The queue it was taken from. */
  readonly queue: string;
  /** 1 on the first run, 2 on the first retry, ... */
  readonly attempt: number;
  /** Total attempts allowed (the attempt after which failure is final). */
  readonly attempts: number;
  /** Keyword arguments of the message. */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /**
   * Aborts at the soft time limit (reason: a SoftTimeLimitExceeded error) or when the task is
   * revoked with terminate (reason: a TaskRevoked error). Pass it to fetch() and friends.
   */
  readonly signal: AbortSignal;
  /** Reports progress (a number 0-100 or a JSON object); readable through the client's `progress()`. */
  progress(value: number | Record<string, unknown>): void;
  readonly logger: TaskLogger;
  /**
   * Ends this attempt and schedules another one (Celery's `self.retry`). Always throws: write
   * `throw ctx.retry()` or `ctx.retry({delay: 5000})`. On the last attempt it throws
   * MaxRetriesExceeded (with `error` as cause) and the task fails.
   */
  retry(options?: RetryOptions): never;
}
