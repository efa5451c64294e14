import { DelayedError, Job, type Queue } from 'bullmq';
import { TaskErrorNames, type TaskError, type TaskMessage, type TaskOptions } from '@taskyard/api';
import { REVOKE_RETENTION_MS, markTaskRevoked } from '@taskyard/api/wire';
import { backoffDelay } from './backoff-delay.js';
import type { DeadLetterWriter } from './dead-letter-writer.js';
import { effectiveTaskOptions, isAutoretried } from './effective-task-options.js';
import { childFailure, deferredFailure } from './deferred-failure.js';
import { isTaskMessage } from './is-task-message.js';
import type { RetentionSweeper } from './retention-sweeper.js';
import type { RevocableRun } from './revoke-listener.js';
import type { RuntimeMetrics } from './runtime-metrics.js';
import type { RunOutcome, SandboxTaskInfo } from './sandbox.js';
import type { SandboxPool } from './sandbox-pool.js';
import { toError, unrecoverable } from './task-failure.js';
import { armTimeLimits, type LimitedRun } from './time-limits.js';
import type { ThroughputCounter } from './throughput-counter.js';
import type { WorkerContext } from './worker-context.js';

/** Tasks averaging under this many ms may be handed to sandboxes in batches. */
const SHORT_TASK_MS = 2;

/** Error a retryable attempt is rethrown as; the backoff strategy reads `taskyardDelay`. */
export type RetryingError = Error & { taskyardDelay?: number };

/** One task running here. */
export type ActiveRun = RevocableRun & LimitedRun;

export interface TaskRunnerContext extends WorkerContext {
  readonly metrics: RuntimeMetrics;
  readonly tasks: ReadonlyMap<string, SandboxTaskInfo>;
  readonly active: Map<string, ActiveRun>;
  readonly deadLetters: DeadLetterWriter;
  readonly retention: RetentionSweeper;
  readonly throughput: ThroughputCounter;
  readonly softLimitGraceMs: number;
  pool(): SandboxPool;
  isRevoked(id: string): boolean;
  bullQueue(queue: string): Queue | undefined;
}

/** Runs one job of a queue with Celery's semantics: the BullMQ processor of the worker. */
export class TaskRunner {
  /** Moving average of each task's run time (decides which tasks may be batched). */
  private readonly durations = new Map<string, { avgMs: number; n: number }>();

  constructor(private readonly ctx: TaskRunnerContext) {}

  async process(job: Job, queue: string, priority: number, token?: string): Promise<unknown> {
    const { ctx } = this;
    const startedAt = Date.now();
    const id = job.id as string;
    if (ctx.isDraining()) return this.handBack(job, token);
    const data = job.data as TaskMessage;
    if (!isTaskMessage(data)) {
      return this.fail(job, queue, { name: TaskErrorNames.invalidMessage, message: `job ${id} on ${queue} is not a Taskyard task message (needs name, args array, kwargs object); enqueue it with the Taskyard client` }, false);
    }
    const deferred = deferredFailure(job);
    if (deferred === 'worker-lost') {
      return this.fail(job, queue, { name: TaskErrorNames.workerLost, message: `task ${id} was given up: its worker was lost (lock expired) more often than allowed while running it (BullMQ: ${job.deferredFailure})` }, false);
    }
    if (deferred === 'child-failed') return this.fail(job, queue, await childFailure(job, ctx.conn, ctx.keys, data), false);
    if (deferred === 'other') return this.fail(job, queue, { name: 'Error', message: `task ${id} was failed by BullMQ: ${job.deferredFailure}` }, false);
    if (ctx.isRevoked(id)) {
      ctx.metrics.tasks.inc({ queue, task: data.name, state: 'REVOKED' });
      ctx.logger.info('task revoked before it started: discarded', { taskId: id, task: data.name, queue });
      ctx.retention.record(queue, id, 'failed', data.options);
      throw unrecoverable({ name: TaskErrorNames.revoked, message: `task ${id} was revoked before it started` });
    }
    if (data.expires !== undefined && startedAt > data.expires) {
      await markTaskRevoked(ctx.conn, ctx.keys, ctx.ref(queue), id, { reason: 'expired', at: startedAt, ttlMs: REVOKE_RETENTION_MS });
      ctx.metrics.tasks.inc({ queue, task: data.name, state: 'REVOKED' });
      ctx.logger.info('task expired before it started: discarded', { taskId: id, task: data.name, queue, expires: new Date(data.expires).toISOString() });
      ctx.retention.record(queue, id, 'failed', data.options);
      throw unrecoverable({ name: TaskErrorNames.expired, message: `task ${id} expired at ${new Date(data.expires).toISOString()} before a worker started it` });
    }
    const task = ctx.tasks.get(data.name);
    if (!task) {
      return this.fail(job, queue, {
        name: TaskErrorNames.unknownTask,
        message: `no task named "${data.name}" in this worker's bundle (it has: ${[...ctx.tasks.keys()].join(', ')}); deploy a bundle that defines it, then replay the dead letter`,
      }, false);
    }
    const opts = effectiveTaskOptions(data.options, task.options as TaskOptions | undefined, ctx.policy(queue));
    const maxAttempts = Math.min(opts.attempts, job.opts.attempts ?? 1);
    let args: unknown[] = data.args;
    if (data.input) args = [await this.flowInput(job, data), ...args];
    if (job.attemptsMade === 0) {
      const due = job.timestamp + (job.opts.delay ?? 0);
      ctx.metrics.startDelaySeries(queue).observe(Math.max(0, startedAt - due) / 1000);
    }

    const pool = ctx.pool();
    const limited = opts.timeLimit.soft !== undefined || opts.timeLimit.hard !== undefined;
    const stats = this.durations.get(data.name);
    const batchable = !limited && stats !== undefined && stats.n >= 3 && stats.avgMs < SHORT_TASK_MS;
    const run: ActiveRun = { queue, name: data.name, ticket: undefined, revoking: false, softExceeded: false };
    ctx.active.set(id, run);
    const series = ctx.metrics.series(queue, data.name);
    series.active.inc();
    let timers: NodeJS.Timeout[] = [];
    if (ctx.logger.enabled('debug')) ctx.logger.debug('task started', { taskId: id, task: data.name, queue, attempt: job.attemptsMade + 1 });
    let outcome: RunOutcome;
    try {
      const ticket = pool.submit(
        { id, name: data.name, queue, attempt: job.attemptsMade + 1, attempts: maxAttempts, args, kwargs: data.kwargs },
        {
          priority,
          batchable,
          onProgress: (value) => {
            void job.updateProgress(value as object).catch((err: Error) => ctx.logger.warn('progress not saved', { taskId: id, error: err.message }));
          },
          // unbatched tasks start as soon as they are handed to an idle sandbox
          onDispatch: limited ? () => (timers = armTimeLimits(run, opts.timeLimit, pool, ctx.logger, ctx.softLimitGraceMs)) : undefined,
        },
      );
      run.ticket = ticket;
      outcome = await ticket.outcome;
    } finally {
      for (const t of timers) clearTimeout(t);
      ctx.active.delete(id);
      series.active.dec();
    }
    if ('handBack' in outcome) return this.handBack(job, token);
    if ('requeue' in outcome) throw new Error('internal: a requeued run settled'); // the pool never settles with requeue
    series.duration.observe(outcome.ms / 1000);
    this.recordDuration(data.name, outcome.ms);
    ctx.throughput.count(queue);

    if (outcome.ok) {
      series.success.inc();
      if (ctx.logger.enabled('debug')) ctx.logger.debug('task succeeded', { taskId: id, task: data.name, queue, ms: Math.round(outcome.ms) });
      ctx.retention.record(queue, id, 'completed', data.options);
      return outcome.value;
    }
    if (run.revoking) {
      ctx.metrics.tasks.inc({ queue, task: data.name, state: 'REVOKED' });
      ctx.logger.info('task terminated by revoke', { taskId: id, task: data.name, queue });
      ctx.retention.record(queue, id, 'failed', data.options);
      throw unrecoverable({ name: TaskErrorNames.revoked, message: `task ${id} was revoked with terminate while running`, stack: outcome.error.stack ?? '' });
    }
    let error = outcome.error;
    if (run.softExceeded && error.name !== TaskErrorNames.softTimeLimit && error.name !== TaskErrorNames.hardTimeLimit) {
      error = {
        name: TaskErrorNames.softTimeLimit,
        message: `soft time limit (${opts.timeLimit.soft} ms) exceeded; the task ended with ${error.name}: ${error.message}`,
        stack: `${TaskErrorNames.softTimeLimit}: soft time limit (${opts.timeLimit.soft} ms) exceeded\n${error.stack ?? ''}`,
      };
    }
    const attempt = job.attemptsMade + 1;
    const retryable = outcome.retry !== undefined || isAutoretried(error.name, opts.autoretryFor);
    if (retryable && attempt < maxAttempts) {
      const delay = Math.max(1, outcome.retry?.delay ?? backoffDelay(attempt, opts.backoff));
      ctx.metrics.tasks.inc({ queue, task: data.name, state: 'RETRY' });
      ctx.logger.info('task will retry', { taskId: id, task: data.name, queue, attempt, attempts: maxAttempts, delayMs: delay, error: `${error.name}: ${error.message}` });
      const err: RetryingError = toError(error);
      err.taskyardDelay = delay;
      throw err;
    }
    return this.fail(job, queue, error, true);
  }

  /**
   * Gives a task that has not started back to its queue (Celery's reject with requeue): used while
   * draining, for a task BullMQ handed over after the drain began or that waited for a sandbox.
   * No attempt is counted; another worker takes it.
   */
  private async handBack(job: Job, token: string | undefined): Promise<never> {
    await job.moveToDelayed(Date.now(), token);
    this.ctx.logger.info('draining: task handed back to its queue', { taskId: job.id, task: job.name });
    throw new DelayedError();
  }

  /** Final failure: dead-letter it (when enabled), record its retention, count it, and fail the job without retry. */
  private async fail(job: Job, queue: string, error: TaskError, counted: boolean): Promise<never> {
    const { ctx } = this;
    const data = job.data as TaskMessage | undefined;
    const name = typeof data?.name === 'string' ? data.name : job.name;
    if (!counted) ctx.throughput.count(queue);
    ctx.metrics.tasks.inc({ queue, task: name, state: 'FAILURE' });
    ctx.logger.error('task failed', { taskId: job.id, task: name, queue, attempt: job.attemptsMade + 1, error: `${error.name}: ${error.message}`, stack: error.stack });
    await ctx.deadLetters.write(queue, job, error);
    ctx.retention.record(queue, job.id as string, 'failed', data?.options);
    throw unrecoverable(error);
  }

  /** What a flow task receives from its children: the chain's previous result, or the chord header's results in order. */
  private async flowInput(job: Job, data: TaskMessage): Promise<unknown> {
    const values = await job.getChildrenValues();
    const byId = new Map(Object.entries(values).map(([key, value]) => [key.slice(key.lastIndexOf(':') + 1), value as unknown]));
    if (data.input === 'chord') return (data.header ?? []).map((id) => byId.get(id) ?? null);
    return [...byId.values()][0] ?? null;
  }

  private recordDuration(name: string, ms: number): void {
    const d = this.durations.get(name);
    if (!d) this.durations.set(name, { avgMs: ms, n: 1 });
    else {
      d.avgMs = d.avgMs * 0.8 + ms * 0.2;
      d.n += 1;
    }
  }
}
