import type { SandboxInit } from './sandbox-protocol.js';
import { Sandbox, type SandboxTaskInfo } from './sandbox.js';

/**
 * A fixed number of sandboxes (one per concurrency slot), reused for every task: a task is handed
 * over by message, no thread is spawned per task. `acquire(priority)` waits for a free one; lower
 * `priority` numbers (earlier queues of the worker) are served first.
 */
export class SandboxPool {
  private readonly idle: Sandbox[] = [];
  private readonly all = new Set<Sandbox>();
  private readonly waiters: Array<{ priority: number; resolve: (s: Sandbox) => void }> = [];

  constructor(
    readonly size: number,
    private readonly init: SandboxInit,
  ) {}

  /** Starts every sandbox; resolves with the bundle's tasks, rejects with a BundleError. */
  async start(): Promise<SandboxTaskInfo[]> {
    for (let i = 0; i < this.size; i++) {
      const s = new Sandbox(this.init);
      this.all.add(s);
      this.idle.push(s);
    }
    const lists = await Promise.all([...this.all].map((s) => s.ready)).catch(async (err: unknown) => {
      await this.close();
      throw err;
    });
    return lists[0] ?? [];
  }

  acquire(priority: number): Promise<Sandbox> {
    const s = this.idle.pop();
    if (s) return Promise.resolve(s);
    return new Promise((resolve) => {
      const i = this.waiters.findIndex((w) => w.priority > priority);
      const waiter = { priority, resolve };
      if (i < 0) this.waiters.push(waiter);
      else this.waiters.splice(i, 0, waiter);
    });
  }

  /** Gives a sandbox back; a dead one is replaced by a fresh sandbox first. */
  release(sandbox: Sandbox): void {
    let s = sandbox;
    if (s.dead) {
      this.all.delete(s);
      s = new Sandbox(this.init);
      this.all.add(s);
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(s);
    else this.idle.push(s);
  }

  /** Sandboxes currently running a task. */
  busyCount(): number {
    return this.size - this.idle.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((s) => s.kill({ name: 'WorkerShutdown', message: 'worker is shutting down' }).catch(() => undefined)));
    this.all.clear();
    this.idle.length = 0;
  }
}
