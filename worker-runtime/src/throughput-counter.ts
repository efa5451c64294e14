import { addThroughput } from '@taskyard/api/wire';
import type { WorkerContext } from './worker-context.js';

/** Counts finished tasks per queue and adds them to the queue's throughput (wire/throughput.ts) every few seconds. */
export class ThroughputCounter {
  private readonly finished = new Map<string, number>();

  constructor(private readonly ctx: Pick<WorkerContext, 'conn' | 'keys' | 'ref'>) {}

  count(queue: string): void {
    this.finished.set(queue, (this.finished.get(queue) ?? 0) + 1);
  }

  /** One write per queue, each in its queue's slot (no cross-slot MULTI). */
  async flush(now = Date.now()): Promise<void> {
    if (this.finished.size === 0) return;
    const counts = [...this.finished];
    this.finished.clear();
    await Promise.all(
      counts.map(async ([queue, n]) => {
        await addThroughput(this.ctx.conn, this.ctx.keys, this.ctx.ref(queue), n, now);
      }),
    );
  }
}
