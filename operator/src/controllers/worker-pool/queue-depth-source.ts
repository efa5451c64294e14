import type { QueueRef } from '@taskyard/api/wire';
import type { Queue } from 'bullmq';
import type { Backlog } from '../../autoscale/decide-replicas.js';

/** Where the autoscaler reads a queue's depth (one small interface per pluggable concern, as KEDA's scalers). */
export interface QueueDepthSource {
  /** The depth of one queue (namespace + name). */
  depth(queue: QueueRef): Promise<Backlog>;
}

/** Depth from BullMQ: waiting, prioritized and active job counts (a paused queue keeps its tasks in wait). */
export class BullQueueDepthSource implements QueueDepthSource {
  readonly #queueFor: (ref: QueueRef) => Queue;

  constructor(queueFor: (ref: QueueRef) => Queue) {
    this.#queueFor = queueFor;
  }

  async depth(queue: QueueRef): Promise<Backlog> {
    const c = await this.#queueFor(queue).getJobCounts('wait', 'prioritized', 'active');
    return { waiting: c.wait ?? 0, prioritized: c.prioritized ?? 0, active: c.active ?? 0 };
  }
}
