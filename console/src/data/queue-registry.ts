import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Knows which queues exist (BullMQ writes `<prefix>:<queue>:meta` for every queue) and keeps one
 * BullMQ `Queue` per name on the console's shared connection. Dead-letter queues (`<q>.dead`)
 * are reported through their parent queue, not listed on their own.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();
  private discovered: { names: string[]; at: number } | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Queues always shown, even before their first task. */
    private readonly pinned: string[] = [],
    /**
     * How long a discovery result is reused, ms. Discovery SCANs the whole keyspace (BullMQ keeps no
     * list of queues), which costs Redis time in proportion to the number of keys, so it is cached;
     * queues the console enqueues to are known at once (`remember`).
     */
    private readonly cacheMs = 10_000,
  ) {}

  /** BullMQ queue object for a name (created once, shares the console's connection). */
  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.prefix });
      queue.on('error', () => undefined); // errors surface on the awaited calls; don't crash the process
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Names of every known queue, sorted; dead-letter queues excluded. */
  async names(): Promise<string[]> {
    const now = Date.now();
    if (this.discovered && now - this.discovered.at < this.cacheMs) return this.discovered.names;
    const found = new Set(this.pinned);
    const match = `${escapeGlob(this.prefix)}:*:meta`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 10_000);
      cursor = next;
      for (const key of keys) {
        const name = key.slice(this.prefix.length + 1, -':meta'.length);
        if (name && !name.includes(':') && !name.endsWith('.dead')) found.add(name);
      }
    } while (cursor !== '0');
    const names = [...found].sort();
    this.discovered = { names, at: now };
    return names;
  }

  /** True when the queue has ever held a task (or is pinned). */
  async exists(name: string): Promise<boolean> {
    if (this.pinned.includes(name)) return true;
    if ((await this.names()).includes(name)) return true;
    return (await this.redis.exists(`${this.prefix}:${name}:meta`, `${this.prefix}:${name}:id`)) > 0;
  }

  /** Adds a queue the console just used (an enqueue) without waiting for the next discovery. */
  remember(name: string): void {
    if (this.discovered && !this.discovered.names.includes(name)) {
      this.discovered = { names: [...this.discovered.names, name].sort(), at: this.discovered.at };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
