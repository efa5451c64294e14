import { bullDeadQueueName, bullQueueName, connectRedis, type QueueRef, type RedisConnection } from '@taskyard/api/wire';
import { Queue } from 'bullmq';

/**
 * One Redis connection per URL (connectRedis, role `operator`: every URL form, Sentinel and Cluster included)
 * and one BullMQ Queue per (URL, prefix, BullMQ queue name), shared by the reconcilers. A queue is named by its
 * QueueRef; its BullMQ name is `{ns/q}` (dead letters `{ns/q}.dead`), see api/src/wire/keys.ts.
 */
export class RedisConnections {
  readonly #connections = new Map<string, RedisConnection>();
  readonly #queues = new Map<string, Queue>();

  connection(url: string): RedisConnection {
    let connection = this.#connections.get(url);
    if (!connection) {
      connection = connectRedis(url, { role: 'operator', connectionName: 'taskyard-operator' });
      // Errors surface on each command; the 'error' event only needs a listener so it is not thrown.
      connection.on('error', () => undefined);
      this.#connections.set(url, connection);
    }
    return connection;
  }

  /** The BullMQ Queue of a queue (or of its dead letters with `dead`). */
  queue(url: string, prefix: string, ref: QueueRef, dead = false): Queue {
    const name = dead ? bullDeadQueueName(ref) : bullQueueName(ref);
    const key = `${url}\u0000${prefix}\u0000${name}`;
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection(url), prefix });
      queue.on('error', () => undefined);
      this.#queues.set(key, queue);
    }
    return queue;
  }

  /** Forgets a queue's objects, its dead letters' too (after its TaskQueue is gone). */
  async dropQueue(url: string, prefix: string, ref: QueueRef): Promise<void> {
    for (const name of [bullQueueName(ref), bullDeadQueueName(ref)]) {
      const key = `${url}\u0000${prefix}\u0000${name}`;
      const queue = this.#queues.get(key);
      this.#queues.delete(key);
      await queue?.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close().catch(() => undefined)));
    this.#queues.clear();
    // quit sends QUIT; disconnect then also ends a Sentinel client's sentinel sockets (failoverDetector
    // subscriptions outlive QUIT and would keep the process alive).
    await Promise.all([...this.#connections.values()].map((c) => c.quit().catch(() => undefined).finally(() => c.disconnect())));
    this.#connections.clear();
  }
}
