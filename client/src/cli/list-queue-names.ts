import type { Redis } from 'ioredis';
import { liveWorkers } from './live-workers.js';

/**
 * Names of the queues under `prefix`: every BullMQ queue that has a `<prefix>:<queue>:meta` key,
 * plus the queues live workers consume. Dead-letter queues (`<queue>.dead`) are left out: they are
 * counted with their queue.
 */
export async function listQueueNames(redis: Redis, prefix: string): Promise<string[]> {
  const names = new Set<string>();
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*:meta`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const name = key.slice(prefix.length + 1, -':meta'.length);
      if (name && !name.includes(':')) names.add(name.endsWith('.dead') ? name.slice(0, -'.dead'.length) : name);
    }
  } while (cursor !== '0');
  for (const worker of await liveWorkers(redis, prefix)) for (const q of worker.queues) names.add(q);
  return [...names].sort();
}
