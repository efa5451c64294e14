import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { connectRedis } from './connect-redis.js';

/** One Redis connection per URL and one BullMQ Queue per (URL, prefix, queue name), shared by the reconcilers. */
export class RedisConnections {
  readonly #connections = new Map<string, Redis | Cluster>();
  readonly #queues = new Map<string, Queue>();

  connection(url: string): Redis | Cluster {
    let connection = this.#connections.get(url);
    if (!connection) {
      connection = connectRedis(url);
      // Errors surface on each command; the 'error' event only needs a listener so it is not thrown.
      connection.on('error', () => undefined);
      this.#connections.set(url, connection);
    }
    return connection;
  }

  queue(url: string, prefix: string, name: string): Queue {
    const key = `${url}\u0000${prefix}\u0000${name}`;
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection(url), prefix });
      queue.on('error', () => undefined);
      this.#queues.set(key, queue);
    }
    return queue;
  }

  /** Forgets a queue object (after its TaskQueue is gone). */
  async dropQueue(url: string, prefix: string, name: string): Promise<void> {
    const key = `${url}\u0000${prefix}\u0000${name}`;
    const queue = this.#queues.get(key);
    this.#queues.delete(key);
    await queue?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close().catch(() => undefined)));
    this.#queues.clear();
    await Promise.all([...this.#connections.values()].map((c) => c.quit().catch(() => c.disconnect())));
    this.#connections.clear();
  }
}
