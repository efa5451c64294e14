import type { TaskCounts } from '@taskyard/api';
import type { Queue } from 'bullmq';

/** Task counts of a queue and its dead-letter queue, as the TaskQueue status shows them. */
export async function readQueueCounts(queue: Queue, deadQueue: Queue): Promise<TaskCounts> {
  const [c, dead] = await Promise.all([
    queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
    deadQueue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
  ]);
  const n = (v: number | undefined) => v ?? 0;
  return {
    // A paused queue keeps its tasks in wait (BullMQ 6 has no separate paused list).
    waiting: n(c.wait),
    prioritized: n(c.prioritized),
    active: n(c.active),
    delayed: n(c.delayed),
    failed: n(c.failed),
    completed: n(c.completed),
    dead: Object.values(dead).reduce((sum, v) => sum + n(v), 0),
  };
}
