import { parseDuration, type QueuePolicy } from '@taskyard/api';
import { publishQueuePolicy, taskyardKeys, type QueueRef, type RedisConnection } from '@taskyard/api/wire';
import type { Queue } from 'bullmq';

/** What apply changed, for events. Empty when Redis already matched the policy. */
export type QueueSettingChange = 'paused' | 'resumed' | 'concurrency' | 'rateLimit' | 'policy';

/**
 * Makes a queue's Redis state match its policy: the queue recorded in its namespace's queue set
 * (`P:{ns}:queues`), paused or not, BullMQ global concurrency, queue-wide rate limit, and the policy JSON at
 * `P:{ns/q}:ty:policy` (published on `P:{ns}:policy-changed` only when it changed, so workers are not woken on
 * every refresh). `queue` is the BullMQ Queue of `ref`. Idempotent: reads first, writes only differences.
 */
export async function applyQueueSettings(
  redis: RedisConnection,
  queue: Queue,
  prefix: string,
  ref: QueueRef,
  policy: QueuePolicy,
): Promise<QueueSettingChange[]> {
  const changes: QueueSettingChange[] = [];
  const keys = taskyardKeys(prefix);

  const paused = await queue.isPaused();
  if (policy.paused && !paused) {
    await queue.pause();
    changes.push('paused');
  } else if (!policy.paused && paused) {
    await queue.resume();
    changes.push('resumed');
  }

  const concurrency = await queue.getGlobalConcurrency();
  if (policy.concurrency !== undefined && concurrency !== policy.concurrency) {
    await queue.setGlobalConcurrency(policy.concurrency);
    changes.push('concurrency');
  } else if (policy.concurrency === undefined && concurrency !== null) {
    await queue.removeGlobalConcurrency();
    changes.push('concurrency');
  }

  const limit = await queue.getGlobalRateLimit();
  if (policy.rateLimit) {
    const durationMs = parseDuration(policy.rateLimit.duration);
    if (!limit || limit.max !== policy.rateLimit.max || limit.duration !== durationMs) {
      await queue.setGlobalRateLimit(policy.rateLimit.max, durationMs);
      changes.push('rateLimit');
    }
  } else if (limit) {
    await queue.removeGlobalRateLimit();
    changes.push('rateLimit');
  }

  // The wire writer (api/src/wire/queue-policy.ts): schema-checked JSON, recorded in the namespace's queue
  // set, announced on the namespace's policy-changed channel only when it changed.
  if (await publishQueuePolicy(redis, keys, ref, policy)) changes.push('policy');
  return changes;
}
