import type { QueuePolicyView, QueueRef, RedisConnection, TaskyardKeys } from '@taskyard/api/wire';
import type { JsonLogger } from './json-logger.js';

/**
 * What the worker's helpers (revoke listener, policy follower, registry heartbeat, dead-letter
 * writer, retention sweeper, task runner) may use of the worker: a narrow context, the way BullMQ's
 * Worker hands lock renewal to LockManager through LockManagerWorkerContext.
 */
export interface WorkerContext {
  readonly id: string;
  readonly namespace: string;
  readonly conn: RedisConnection;
  readonly keys: TaskyardKeys;
  readonly logger: JsonLogger;
  /** The QueueRef of a queue name of this worker's namespace. */
  ref(queue: string): QueueRef;
  /** The queue's policy as last read (defaults until read). */
  policy(queue: string): QueuePolicyView;
  /** True once the worker began draining. */
  isDraining(): boolean;
}
