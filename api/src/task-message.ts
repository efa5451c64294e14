import { z } from 'zod';

/**
 * The task message: the `data` of the BullMQ job that carries one task. The job's `name` is the
 * task name too, and its id is the task id. Written by the client SDK (and the `enqueue` command),
 * read by the worker runtime, the console and the CLI. All durations are milliseconds, all times
 * are epoch milliseconds.
 *
 * | field        | meaning                                                                                 |
 * |--------------|-----------------------------------------------------------------------------------------|
 * | `v`          | message format version, `1`                                                             |
 * | `name`       | task name, as given to `defineTask` in the bundle                                       |
 * | `args`       | positional arguments, JSON values                                                       |
 * | `kwargs`     | keyword arguments (JSON object), handed to the handler as `ctx.kwargs`                  |
 * | `enqueuedAt` | when the client enqueued it                                                             |
 * | `expires`    | optional: a worker that picks it up after this time discards it (state REVOKED)         |
 * | `options`    | optional per-task overrides of the queue/task defaults (TaskOptions below)              |
 * | `input`      | optional, flows only: `chain` = the child's result is prepended to `args`;              |
 * |              | `chord` = the array of the header's results (in `header` order) is prepended to `args`  |
 * | `header`     | chord callbacks: the header task ids in order                                           |
 * | `scheduleId`, `tick` | set by `taskyard-worker enqueue` for Schedule ticks                             |
 * | `replayOf`   | set when a dead letter is replayed: the dead-letter entry id                            |
 *
 * BullMQ job options the SDK sets: `jobId` = task id (no `:`, never an integer), `attempts`
 * (the override, else a ceiling: the worker decides - see worker-runtime), `backoff: {type:
 * 'taskyard'}` (the worker's backoff strategy), `delay` (countdown/eta), `priority`,
 * `removeOnComplete: false`, `removeOnFail: false`: retention is per task (wire/retention.ts), the
 * worker records each finished task's expiry from `options.resultTTL` / `failedTTL` or the policy.
 */
export const TASK_MESSAGE_VERSION = 1 as const;

/** Backoff between attempts. Exponential: delay * 2^(attempt-1), capped at maxDelay, full jitter. */
export const BackoffSchema = z.object({
  type: z.enum(['fixed', 'exponential']).default('exponential'),
  /** Base delay in ms; default 1000. */
  delay: z.number().int().min(0).optional(),
  /** Cap on the delay in ms; default 600000 (10 min). */
  maxDelay: z.number().int().min(0).optional(),
  /** Full jitter: the delay is uniform in [0, computed]; default true. */
  jitter: z.boolean().optional(),
});
export type Backoff = z.infer<typeof BackoffSchema>;

/** Per-task behaviour. Each field falls back to: enqueue override > task option > queue policy > default. */
export const TaskOptionsSchema = z.object({
  /** Total attempts including the first (Celery's max_retries + 1); default from the queue policy (4). */
  attempts: z.number().int().min(1).max(1000).optional(),
  backoff: BackoffSchema.optional(),
  /** soft: ctx.signal aborts and SoftTimeLimitExceeded is raised; hard: the sandbox is killed. ms. */
  timeLimit: z.object({ soft: z.number().int().positive().optional(), hard: z.number().int().positive().optional() }).optional(),
  /** Error names (`err.name`) retried automatically (Celery's autoretry_for); `"*"` = every error. Others fail at once. */
  autoretryFor: z.array(z.string().min(1)).optional(),
  /** How long a successful result is kept, ms. */
  resultTTL: z.number().int().positive().optional(),
  /** How long a failed task is kept, ms. */
  failedTTL: z.number().int().positive().optional(),
});
export type TaskOptions = z.infer<typeof TaskOptionsSchema>;

export const TaskMessageSchema = z.object({
  v: z.literal(TASK_MESSAGE_VERSION),
  name: z.string().min(1),
  args: z.array(z.json()),
  kwargs: z.record(z.string(), z.json()),
  enqueuedAt: z.number().int(),
  expires: z.number().int().optional(),
  options: TaskOptionsSchema.optional(),
  input: z.enum(['chain', 'chord']).optional(),
  header: z.array(z.string()).optional(),
  scheduleId: z.string().optional(),
  tick: z.string().optional(),
  replayOf: z.string().optional(),
});
export type TaskMessage = z.infer<typeof TaskMessageSchema>;

/** A task's error as stored with a dead letter (and reconstructed by the client). */
export const TaskErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
});
export type TaskError = z.infer<typeof TaskErrorSchema>;

/**
 * The `data` of a job in the dead-letter queue `<queue>.dead` (job name = task name, job id =
 * `<task id>-dead-<attemptsMade>`-style unique id). Nothing consumes that queue; the SDK lists,
 * replays (re-enqueues `message` under `taskId` on `queue`) and purges it.
 */
export const DeadLetterRecordSchema = z.object({
  taskId: z.string(),
  /** Namespace of the queue (absent in records written before namespaces: read as `default`). */
  namespace: z.string().optional(),
  /** Queue name within the namespace. */
  queue: z.string(),
  message: TaskMessageSchema,
  error: TaskErrorSchema,
  attemptsMade: z.number().int(),
  failedAt: z.number().int(),
  worker: z.string().optional(),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecordSchema>;

/**
 * Error names the runtime raises and the client recognises.
 * | name                   | when                                                                  |
 * |------------------------|-----------------------------------------------------------------------|
 * | SoftTimeLimitExceeded  | soft time limit passed and the handler did not settle                 |
 * | TimeLimitExceeded      | hard time limit passed: the sandbox was killed                        |
 * | TaskRevoked            | revoked before it ran, or aborted by `revoke(id, {terminate: true})`  |
 * | TaskExpired            | picked up after its `expires` time; never ran                         |
 * | UnknownTask            | the bundle has no task of that name                                   |
 * | MaxRetriesExceeded     | `ctx.retry()` called on the last attempt                              |
 * | InvalidTaskMessage     | the job data is not a valid TaskMessage                               |
 * | WorkerLost             | the sandbox died (crash / out of memory) while running the task, or the task was given up after its worker was lost (lock expired) too often |
 * | ChildTaskFailed        | a chain link or chord callback whose child (previous link, header task) failed: the message names the child's id and its error |
 */
export const TaskErrorNames = {
  softTimeLimit: 'SoftTimeLimitExceeded',
  hardTimeLimit: 'TimeLimitExceeded',
  revoked: 'TaskRevoked',
  expired: 'TaskExpired',
  unknownTask: 'UnknownTask',
  maxRetries: 'MaxRetriesExceeded',
  invalidMessage: 'InvalidTaskMessage',
  workerLost: 'WorkerLost',
  childFailed: 'ChildTaskFailed',
} as const;

/** The `backoff.type` the SDK puts on jobs so the worker's own strategy computes delays. */
export const TASKYARD_BACKOFF_TYPE = 'taskyard';
/** `attempts` put on jobs without an override: a ceiling only; the worker decides when to stop. */
export const ATTEMPTS_CEILING = 1000;
