import type { Queue } from 'bullmq';
import type { Backlog } from '../../autoscale/decide-replicas.js';

/** Where the autoscaler reads a queue's depth (one small interface per pluggable concern, as KEDA's scalers). */
export interface QueueDepthSource {
  depth(queue: string): Promise<Backlog>;
}

/** Depth from BullMQ: waiting (wait + paused lists), prioritized and active job counts. */
export class BullQueueDepthSource implements QueueDepthSource {
  readonly #queueFor: (name: string) => Queue;

  constructor(queueFor: (name: string) => Queue) {
    this.#queueFor = queueFor;
  }

  async depth(queue: string): Promise<Backlog> {
    const c = await this.#queueFor(queue).getJobCounts('wait', 'paused', 'prioritized', 'active');
    return { waiting: (c.wait ?? 0) + (c.paused ?? 0), prioritized: c.prioritized ?? 0, active: c.active ?? 0 };
  }
}
