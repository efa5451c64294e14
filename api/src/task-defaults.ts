import { z } from 'zod';
import { celDurationMs } from './cel-duration.js';
import { withCrossFieldRules } from './cross-field-rule.js';
import { durationSchema } from './duration.js';
import { parseDuration } from './parse-duration.js';

/** Retry backoff (Celery's retry_backoff, retry_backoff_max, retry_jitter). */
export const retryBackoffSchema = z
  .strictObject({
    /** `exponential` (delay, 2×delay, 4×delay… capped at maxDelay) or `fixed`. Default `exponential`, as Celery's retry_backoff. */
    type: z
      .enum(['fixed', 'exponential'])
      .default('exponential')
      .describe('exponential (delay, 2*delay, 4*delay... capped at maxDelay) or fixed. Default exponential.'),
    /** First retry delay (exponential) or every retry's delay (fixed). Default `1s`, Celery's retry_backoff=True. */
    delay: durationSchema.default('1s').describe('First retry delay (exponential) or every delay (fixed). Default 1s.'),
    /** Upper bound of an exponential delay. Default `10m`, Celery's retry_backoff_max=600. */
    maxDelay: durationSchema.default('10m').describe('Upper bound of an exponential delay. Default 10m.'),
    /** Full jitter: the actual delay is random in [0, computed delay]. Default true, as Celery's retry_jitter. */
    jitter: z.boolean().default(true).describe('Full jitter: the delay is random in [0, computed delay]. Default true.'),
  })
  .describe('Retry backoff. Default exponential from 1s, at most 10m, with full jitter.');

export type RetryBackoff = z.infer<typeof retryBackoffSchema>;

/** Celery's soft and hard time limits of one run of a task. */
export const timeLimitSchema = withCrossFieldRules(
  z.strictObject({
    /** Soft limit: ctx.signal aborts and SoftTimeLimitExceeded is raised in the task. No default (no limit). */
    soft: durationSchema.optional().describe('Soft limit: ctx.signal aborts and SoftTimeLimitExceeded is raised. No default.'),
    /**
     * Hard limit: the sandbox running the task is killed and the run fails (or retries by policy).
     * No default (no limit). WorkerPools' terminationGracePeriodSeconds defaults from it.
     */
    hard: durationSchema
      .optional()
      .describe('Hard limit: the sandbox running the task is killed and the run fails. No default.'),
  }),
  [
    {
      rule: `!has(self.soft) || !has(self.hard) || ${celDurationMs('self.soft')} < ${celDurationMs('self.hard')}`,
      message: 'soft must be shorter than hard: the soft limit warns the task before the hard limit kills it',
      fieldPath: '.soft',
      reason: 'FieldValueInvalid',
      holds: (limit) =>
        limit.soft === undefined || limit.hard === undefined || parseDuration(limit.soft) < parseDuration(limit.hard),
    },
  ],
).describe('Time limits of one run (Celery task_soft_time_limit / task_time_limit). No default: no limit.');

export type TimeLimit = z.infer<typeof timeLimitSchema>;

/** Per-task defaults of a queue; a task's enqueue options may override some of them. */
export const taskDefaultsSchema = z
  .strictObject({
    /**
     * Runs a task may get in total, the first one included (Celery's max_retries + 1).
     * Default 4, Celery's max_retries=3.
     */
    attempts: z
      .int()
      .min(1)
      .max(1000)
      .default(4)
      .describe("Runs a task may get, the first included (Celery's max_retries + 1). Default 4."),
    /** Delay between attempts. Default: exponential from 1s, at most 10m, full jitter. */
    backoff: retryBackoffSchema.prefault({}),
    /** Soft and hard time limits. Default: none. */
    timeLimit: timeLimitSchema.optional(),
    /** A task not started within this long after it was enqueued expires and never runs. Default: never. */
    expires: durationSchema.optional().describe('A task not started this long after enqueue expires and never runs. No default.'),
    /** How long a successful task's result is kept. Default `1d`, Celery's result_expires. */
    resultTTL: durationSchema.default('1d').describe("How long a successful task's result is kept. Default 1d."),
    /** How long a failed task (and its error) is kept. Default `7d`. */
    failedTTL: durationSchema.default('7d').describe('How long a failed task and its error are kept. Default 7d.'),
    /** Error names (`err.name`) retried automatically, Celery's autoretry_for. Default none. */
    autoretryFor: z
      .array(z.string().min(1).max(256))
      .max(64)
      .default([])
      .describe("Error names (err.name) retried automatically (Celery's autoretry_for). Default none."),
  })
  .describe('Defaults of every task on the queue.');

export type TaskDefaults = z.infer<typeof taskDefaultsSchema>;
