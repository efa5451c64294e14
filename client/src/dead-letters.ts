import { DeadLetterQueue, rewriteTaskMarker, taskJobOptions, taskMarkerTtlMs, type DeadLetterEntry } from '@taskyard/api/wire';
import type { ClientContext } from './client-context.js';
import { TaskHandle, type TaskHandleClient } from './task-handle.js';
import { DEFAULT_PRIORITY } from './task-priority.js';

/** Dead letters of a queue (`{ns/q}.dead`, wire/dead-letters.ts): tasks whose last attempt failed, with their error. */
export class DeadLetters {
  private readonly queues = new Map<string, DeadLetterQueue>();

  constructor(
    private readonly ctx: ClientContext,
    private readonly handles: TaskHandleClient,
  ) {}

  /** Newest first; `offset`/`limit` page through them (default 0 / 100). */
  async list(queueName: string, page: { offset?: number; limit?: number } = {}): Promise<DeadLetterEntry[]> {
    return this.ctx.guard('deadLetters.list', () => this.of(queueName).list(page));
  }

  /**
   * Runs dead letters again: each one's task is enqueued anew on its queue under its original task
   * id (fresh attempts, default priority; the old failed record is replaced, its marker rewritten)
   * and the entry leaves the dead-letter queue. `ids` = entry ids from list(); default all.
   */
  async replay(queueName: string, ids?: readonly string[]): Promise<TaskHandle[]> {
    const entries = await this.list(queueName, { limit: 100_000 });
    const chosen = ids === undefined ? entries : entries.filter((e) => ids.includes(e.id));
    const ref = this.ctx.ref(queueName);
    if (ids !== undefined) {
      const missing = ids.filter((id) => !entries.some((e) => e.id === id));
      if (missing.length > 0) throw new Error(`dead-letter queue ${ref.namespace}/${ref.name}.dead has no entries ${missing.join(', ')} (list them with deadLetters.list)`);
    }
    const policy = await this.ctx.policy(queueName);
    const queue = this.ctx.producerQueue(queueName);
    const handles: TaskHandle[] = [];
    for (const entry of chosen) {
      await this.ctx.guard('deadLetters.replay', () =>
        this.of(queueName).replay(entry, queue, async (message, taskId) => {
          await queue.add(message.name, message, taskJobOptions(taskId, message.options, 0, DEFAULT_PRIORITY));
          await rewriteTaskMarker(this.ctx.connection, this.ctx.keys, ref, taskId, { name: message.name, enqueuedAt: Date.now() }, taskMarkerTtlMs(message.options, policy, 0));
        }));
      handles.push(new TaskHandle(this.handles, entry.taskId, queueName, entry.message.name));
    }
    return handles;
  }

  /** Deletes every dead letter of a queue; returns how many there were. */
  async purge(queueName: string): Promise<number> {
    return this.ctx.guard('deadLetters.purge', () => this.of(queueName).purge());
  }

  /** How many dead letters the queue holds. */
  async count(queueName: string): Promise<number> {
    return this.ctx.guard('deadLetters.count', () => this.of(queueName).count());
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private of(queueName: string): DeadLetterQueue {
    let dlq = this.queues.get(queueName);
    if (!dlq) this.queues.set(queueName, (dlq = new DeadLetterQueue(this.ctx.connection, this.ctx.keys, this.ctx.ref(queueName))));
    return dlq;
  }
}
