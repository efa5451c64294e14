import type { Backoff } from '@taskyard/api';

/**
 * Options of `client.enqueue()` (Celery's `apply_async`). All durations are milliseconds.
 */
export interface EnqueueOptions {
  /** Keyword arguments (JSON object), read by the handler as `ctx.kwargs`. Default `{}`. */
  kwargs?: Record<string, unknown>;
  /** Run no earlier than this many ms from now. Default 0. Exclusive with `eta`. */
  countdown?: number;
  /** Run no earlier than this time (Date or ISO string). Exclusive with `countdown`. */
  eta?: Date | string;
  /**
   * Discard the task if no worker started it by then: a number is ms from now, a Date/ISO string an
   * absolute time. An expired task never runs; its state is REVOKED. Default: the queue policy's
   * `defaults.expires`, else never.
   */
  expires?: number | Date | string;
  /** Queue to put it on. Default: the first matching route, else the client's default queue. */
  queue?: string;
  /**
   * An integer from 1 (highest: runs first) to 10 (lowest). Default 5, the middle (as in Celery,
   * a task without a priority sits between urgent and background work). Tasks of one priority start
   * in the order they were enqueued. Anything else throws InvalidEnqueueOptionsError.
   */
  priority?: number;
  /**
   * A key that makes the enqueue idempotent: the task id is derived from it, so enqueueing the
   * same key again (while the first task is still kept) returns the first task instead of adding
   * one, with `handle.enqueued === false`; of racing calls exactly one gets `true`. Exclusive with `taskId`.
   */
  idempotencyKey?: string;
  /** Explicit task id (no `:`, not an integer). Default: a random UUID. */
  taskId?: string;
  /** Total attempts including the first. Default: task option > queue policy > 1. */
  attempts?: number;
  /** Backoff between attempts. Default: task option > queue policy > exponential 1 s, max 10 min, full jitter. */
  backoff?: Backoff;
  /** Time limits in ms (soft: ctx.signal aborts; hard: the sandbox is killed). */
  timeLimit?: { soft?: number; hard?: number };
  /** Error names that are retried (others fail at once). */
  autoretryFor?: string[];
  /** How long the result is kept after success, ms. Default: queue policy, else 24 h. */
  resultTTL?: number;
  /** How long a failed task is kept, ms. Default: queue policy, else 7 days. */
  failedTTL?: number;
  /** Set by `taskyard-worker enqueue` for Schedule ticks: recorded in the message (scheduleId, tick). */
  schedule?: { id: string; tick: string };
}
