import { Job } from 'bullmq';
import { DeadLetterRecordSchema, type TaskMessage } from '@taskyard/api';
import { bullDeadQueueName, rewriteTaskMarker } from '@taskyard/api/wire';
import type { ClientContext } from './client-context.js';
import type { DeadLetterEntry } from './dead-letter-entry.js';
import { jobOptions, markerTtl } from './enqueue/prepare-job.js';
import { TaskHandle, type TaskHandleClient } from './task-handle.js';
import { DEFAULT_PRIORITY } from './task-priority.js';

/** Dead letters of a queue (`{ns/q}.dead`): tasks whose last attempt failed, with their error. */
export class DeadLetters {
  constructor(
    private readonly ctx: ClientContext,
    private readonly handles: TaskHandleClient,
  ) {}

  /** Oldest first; `offset`/`limit` page through them (default 0 / 100). */
  async list(queueName: string, page: { offset?: number; limit?: number } = {}): Promise<DeadLetterEntry[]> {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 100;
    return this.ctx.guard('deadLetters.list', async () => {
      const jobs = await this.ctx.deadQueue(queueName).getJobs(['waiting'], offset, offset + limit - 1, true);
      return jobs.flatMap((job) => {
        const parsed = DeadLetterRecordSchema.safeParse(job.data);
        return parsed.success && job.id !== undefined ? [{ id: job.id, ...parsed.data }] : [];
      });
    });
  }

  /**
   * Runs dead letters again: each one's task is enqueued anew on its queue under its original task
   * id (fresh attempts, default priority; the old failed record is replaced) and the entry leaves the
   * dead-letter queue. `ids` = entry ids from list(); default all.
   */
  async replay(queueName: string, ids?: readonly string[]): Promise<TaskHandle[]> {
    const entries = await this.list(queueName, { limit: 100_000 });
    const chosen = ids === undefined ? entries : entries.filter((e) => ids.includes(e.id));
    if (ids !== undefined) {
      const missing = ids.filter((id) => !entries.some((e) => e.id === id));
      if (missing.length > 0) {
        throw new Error(`dead-letter queue ${bullDeadQueueName(this.ctx.ref(queueName))} has no entries ${missing.join(', ')} (list them with deadLetters.list)`);
      }
    }
    const ref = this.ctx.ref(queueName);
    const policy = await this.ctx.policy(queueName);
    const handles: TaskHandle[] = [];
    for (const entry of chosen) {
      await this.ctx.guard('deadLetters.replay', async () => {
        const queue = this.ctx.producerQueue(queueName);
        const old = await Job.fromId(queue, entry.taskId);
        if (old) await old.remove().catch(() => undefined);
        const data: TaskMessage = { ...entry.message, replayOf: entry.id };
        await queue.add(entry.message.name, data, jobOptions(entry.taskId, data.options, 0, DEFAULT_PRIORITY));
        await rewriteTaskMarker(this.ctx.connection, this.ctx.keys, ref, entry.taskId, { name: entry.message.name, enqueuedAt: Date.now() }, markerTtl(data.options, policy, 0));
        await this.ctx.deadQueue(queueName).remove(entry.id);
      });
      handles.push(new TaskHandle(this.handles, entry.taskId, queueName, entry.message.name));
    }
    return handles;
  }

  /** Deletes every dead letter of a queue; returns how many there were. */
  async purge(queueName: string): Promise<number> {
    return this.ctx.guard('deadLetters.purge', async () => {
      const dead = this.ctx.deadQueue(queueName);
      const counts = await dead.getJobCounts('waiting');
      await dead.drain(true);
      return counts.waiting ?? 0;
    });
  }
}
