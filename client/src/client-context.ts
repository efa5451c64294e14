import type { Queue } from 'bullmq';
import type { QueuePolicyView, QueueRef, RedisConnection, TaskyardKeys } from '@taskyard/api/wire';
import type { RouteTable } from './route-table.js';

/**
 * The narrow part of TaskyardClient its helpers (enqueue, status, revoke, dead letters, counts)
 * work through, the way BullMQ hands its Worker to LockManager through a small context.
 */
export interface ClientContext {
  readonly connection: RedisConnection;
  readonly keys: TaskyardKeys;
  readonly prefix: string;
  readonly namespace: string;
  readonly defaultQueue: string;
  readonly routes: RouteTable;
  /** The queue `name` of this client's namespace; throws a TypeError naming a bad name. */
  ref(name: string): QueueRef;
  /** BullMQ Queue for reads: opening it writes nothing. */
  queue(name: string): Queue;
  /** BullMQ Queue of the queue's dead letters (`{ns/q}.dead`), for reads and removals. */
  deadQueue(name: string): Queue;
  /** BullMQ Queue for adds (BullMQ records its meta hash). */
  producerQueue(name: string): Queue;
  /** The queue's policy (defaults when the operator wrote none). */
  policy(name: string, operation?: string): Promise<QueuePolicyView>;
  /** Runs one Redis operation: connects first, turns connection failures into RedisUnavailableError. */
  guard<T>(operation: string, run: () => Promise<T>): Promise<T>;
}
