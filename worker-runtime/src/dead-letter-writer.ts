import type { Job } from 'bullmq';
import type { TaskError, TaskMessage } from '@taskyard/api';
import { DeadLetterQueue } from '@taskyard/api/wire';
import { isTaskMessage } from './is-task-message.js';
import type { WorkerContext } from './worker-context.js';

/** Writes a task that failed its last attempt to its queue's dead letters (wire/dead-letters.ts), when the policy enables them. */
export class DeadLetterWriter {
  private readonly queues = new Map<string, DeadLetterQueue>();

  constructor(private readonly ctx: Pick<WorkerContext, 'conn' | 'keys' | 'ref' | 'policy' | 'id'>) {}

  async write(queue: string, job: Job, error: TaskError): Promise<void> {
    const policy = this.ctx.policy(queue);
    if (!policy.deadLetter.enabled || !isTaskMessage(job.data)) return;
    let dead = this.queues.get(queue);
    if (!dead) {
      dead = new DeadLetterQueue(this.ctx.conn, this.ctx.keys, this.ctx.ref(queue));
      this.queues.set(queue, dead);
    }
    const ref = this.ctx.ref(queue);
    await dead.record(
      {
        taskId: job.id as string,
        namespace: ref.namespace,
        queue: ref.name,
        message: job.data as TaskMessage,
        error,
        attemptsMade: job.attemptsMade + 1,
        failedAt: Date.now(),
        worker: this.ctx.id,
      },
      policy.deadLetter.ttl,
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
