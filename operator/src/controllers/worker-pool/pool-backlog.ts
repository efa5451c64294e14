import type { QueueRef } from '@taskyard/api/wire';
import type { Backlog } from '../../autoscale/decide-replicas.js';
import type { QueueDepthSource } from './queue-depth-source.js';

/** Sum of the backlogs of a pool's queues (each a namespace + name). A paused queue contributes only its running tasks: pods could start nothing else. */
export async function poolBacklog(source: QueueDepthSource, queues: readonly { ref: QueueRef; paused: boolean }[]): Promise<Backlog> {
  const depths = await Promise.all(queues.map((q) => source.depth(q.ref)));
  return depths.reduce<Backlog>(
    (sum, d, i) => ({
      waiting: sum.waiting + (queues[i]?.paused ? 0 : d.waiting),
      prioritized: sum.prioritized + (queues[i]?.paused ? 0 : d.prioritized),
      active: sum.active + d.active,
    }),
    { waiting: 0, prioritized: 0, active: 0 },
  );
}
