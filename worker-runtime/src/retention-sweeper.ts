import type { Queue } from 'bullmq';
import { recordTaskExpiry, sweepExpiredTasks } from '@taskyard/api/wire';
import type { WorkerContext } from './worker-context.js';

export interface RetentionSweeperContext extends Pick<WorkerContext, 'conn' | 'keys' | 'ref' | 'policy' | 'logger'> {
  bullQueue(queue: string): Queue | undefined;
}

/**
 * Per-task retention (wire/retention.ts): records each finished task's expiry (its own resultTTL /
 * failedTTL override, else the queue policy's) and sweeps the worker's queues every few seconds.
 */
export class RetentionSweeper {
  constructor(private readonly ctx: RetentionSweeperContext, private readonly queues: readonly string[]) {}

  /**
   * Records when a finished task's result expires. Called just before its job is settled and not
   * awaited: the ZADD goes out on the worker's connection ahead of BullMQ's move to completed/failed
   * (commands of one connection keep their order), so it costs no latency. A crash in between
   * re-runs the task, which records again.
   */
  record(queue: string, id: string, outcome: 'completed' | 'failed', overrides: { resultTTL?: number; failedTTL?: number } | undefined): void {
    const policy = this.ctx.policy(queue);
    const ttl = outcome === 'completed' ? overrides?.resultTTL ?? policy.resultTTL : overrides?.failedTTL ?? policy.failedTTL;
    recordTaskExpiry(this.ctx.conn, this.ctx.keys, this.ctx.ref(queue), id, Date.now(), ttl).catch((err: Error) =>
      this.ctx.logger.warn('result expiry not recorded: the result is kept until removed by hand', { taskId: id, queue, error: err.message }),
    );
  }

  async sweep(): Promise<void> {
    for (const q of this.queues) {
      const queue = this.ctx.bullQueue(q);
      const removed = await sweepExpiredTasks(this.ctx.conn, this.ctx.keys, this.ctx.ref(q), queue ? { queue } : {});
      if (removed.length > 0 && this.ctx.logger.enabled('debug')) this.ctx.logger.debug('results expired', { queue: q, tasks: removed.length });
    }
  }
}
