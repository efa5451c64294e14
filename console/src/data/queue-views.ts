import type { QueueView } from '../schemas/queue-schemas.js';
import type { WorkerView } from '../schemas/worker-schemas.js';
import type { ConsoleContext } from './console-context.js';
import { readThroughput } from './throughput-reader.js';

/** Counts, throughput history and worker numbers of the given queues (all read from Redis). */
export async function queueViews(ctx: ConsoleContext, names: string[], workers: WorkerView[], minutes = 60): Promise<QueueView[]> {
  return Promise.all(
    names.map(async (name): Promise<QueueView> => {
      const [counts, throughput, paused] = await Promise.all([
        ctx.tasks.counts(name),
        readThroughput(ctx.redis, ctx.prefix, name, minutes),
        ctx.registry.queue(name).isPaused(),
      ]);
      return {
        name,
        paused,
        counts,
        throughput,
        workers: workers.filter((w) => w.alive && w.queues.includes(name)).length,
      };
    }),
  );
}
