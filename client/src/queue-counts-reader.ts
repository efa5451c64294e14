import type { ClientContext } from './client-context.js';
import type { QueueCounts } from './queue-counts.js';

/** Job counts of a queue and its dead-letter queue (reads only; two queues of one slot). */
export async function readQueueCounts(ctx: ClientContext, queueName: string): Promise<QueueCounts> {
  return ctx.guard('queueCounts', async () => {
    const [c, dead] = await Promise.all([
      ctx.queue(queueName).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed', 'waiting-children'),
      ctx.deadQueue(queueName).getJobCounts('wait'),
    ]);
    return {
      queue: queueName,
      waiting: c.waiting ?? 0,
      prioritized: c.prioritized ?? 0,
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
      waitingChildren: c['waiting-children'] ?? 0,
      paused: 0, // BullMQ 6 keeps a paused queue's jobs in waiting
      dead: dead.wait ?? 0,
    };
  });
}
