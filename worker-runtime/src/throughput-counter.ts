import type { WorkerContext } from './worker-context.js';

/** Counts finished tasks per queue and adds them to `P:{ns/q}:ty:rate:<minute>` (TTL 2 h) every few seconds. */
export class ThroughputCounter {
  private readonly finished = new Map<string, number>();

  constructor(private readonly ctx: Pick<WorkerContext, 'conn' | 'keys' | 'ref'>) {}

  count(queue: string): void {
    this.finished.set(queue, (this.finished.get(queue) ?? 0) + 1);
  }

  /** One INCRBY + EXPIRE per queue (each in its queue's slot: no cross-slot MULTI). */
  async flush(now = Date.now()): Promise<void> {
    if (this.finished.size === 0) return;
    const minute = Math.floor(now / 60_000);
    const counts = [...this.finished];
    this.finished.clear();
    await Promise.all(
      counts.map(async ([queue, n]) => {
        const key = this.ctx.keys.rate(this.ctx.ref(queue), minute);
        await this.ctx.conn.multi().incrby(key, n).expire(key, 7200).exec();
      }),
    );
  }
}
