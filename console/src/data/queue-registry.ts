import { bullDeadQueueName, bullQueueName, formatQueueRef, listNamespaceQueues, type QueueRef, type RedisConnection, type TaskyardKeys } from '@taskyard/api/wire';
import { Queue } from 'bullmq';

/**
 * Knows which queues exist in every namespace and keeps one BullMQ `Queue` per queue on the console's
 * shared connection. A queue is a namespace + name (`ns/q` in text). Discovery (wire/namespace-queues):
 * SCAN of BullMQ's meta keys `P:{*\/*}:meta` on every master of a Cluster, mapped back with
 * queueRefOfBullName, plus the namespaces' queue sets `P:{ns}:queues` (queues the operator declared
 * or a client used). Dead-letter queues (`{ns/q}.dead`) are folded into their queue.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();
  private discovered: { refs: QueueRef[]; at: number } | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: TaskyardKeys,
    /** Queues always shown, even before their first task. */
    private readonly pinned: QueueRef[] = [],
    /**
     * How long a discovery result is reused, ms. Discovery SCANs the keyspace (BullMQ keeps no list of
     * queues), which costs Redis time in proportion to the number of keys, so it is cached; queues the
     * console enqueues to are known at once (`remember`).
     */
    private readonly cacheMs = 10_000,
  ) {}

  /** BullMQ queue object of a queue, or of its dead letters (created once, shares the console's connection). */
  queue(ref: QueueRef, dead = false): Queue {
    const name = dead ? bullDeadQueueName(ref) : bullQueueName(ref);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.keys.prefix });
      queue.on('error', () => undefined); // errors surface on the awaited calls; don't crash the process
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Every known queue of every namespace, sorted by namespace then name; dead-letter queues folded in. */
  async refs(): Promise<QueueRef[]> {
    const now = Date.now();
    if (this.discovered && now - this.discovered.at < this.cacheMs) return this.discovered.refs;
    const found = await listNamespaceQueues(this.redis, this.keys, '*');
    const refs = sortRefs(unique([...this.pinned, ...found]));
    this.discovered = { refs, at: now };
    return refs;
  }

  /** True when the queue is known: pinned, declared, or has ever held a task. */
  async exists(ref: QueueRef): Promise<boolean> {
    const text = formatQueueRef(ref);
    if ((await this.refs()).some((r) => formatQueueRef(r) === text)) return true;
    // One key: no cross-slot command even on a Cluster.
    return (await this.redis.exists(this.keys.bullMeta(ref))) > 0;
  }

  /** Adds a queue the console just used (an enqueue) without waiting for the next discovery. */
  remember(ref: QueueRef): void {
    if (this.discovered) this.discovered = { refs: sortRefs(unique([...this.discovered.refs, ref])), at: this.discovered.at };
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
  }
}

function unique(refs: QueueRef[]): QueueRef[] {
  return [...new Map(refs.map((r) => [formatQueueRef(r), r])).values()];
}

function sortRefs(refs: QueueRef[]): QueueRef[] {
  return refs.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
