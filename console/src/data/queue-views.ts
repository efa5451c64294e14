import { formatQueueRef, readThroughput, type QueueRef } from '@taskyard/api/wire';
import type { QueueView } from '../schemas/queue-schemas.js';
import type { WorkerView } from '../schemas/worker-schemas.js';
import type { ConsoleContext } from './console-context.js';

/** Counts, throughput history and worker numbers of the given queues (all read from Redis). */
export async function queueViews(ctx: ConsoleContext, refs: QueueRef[], workers: WorkerView[], minutes = 60): Promise<QueueView[]> {
  return Promise.all(
    refs.map(async (ref): Promise<QueueView> => {
      const [counts, throughput, paused] = await Promise.all([
        ctx.tasks.counts(ref),
        readThroughput(ctx.redis, ctx.keys, ref, minutes),
        ctx.registry.queue(ref).isPaused(),
      ]);
      return {
        name: formatQueueRef(ref),
        namespace: ref.namespace,
        paused,
        counts,
        throughput,
        // A worker serves queues of its own namespace: the same name elsewhere is another queue.
        workers: workers.filter((w) => w.alive && w.namespace === ref.namespace && w.queues.includes(ref.name)).length,
      };
    }),
  );
}
