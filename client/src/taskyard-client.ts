import { Queue } from 'bullmq';
import { DEFAULT_PREFIX, RuntimeEnv } from '@taskyard/api';
import {
  bullDeadQueueName,
  bullQueueName,
  checkQueueRef,
  connectRedis,
  loadQueuePolicy,
  taskIsInQueue,
  taskyardKeys,
  type QueuePolicyView,
  type QueueRef,
  type RedisConnection,
  type TaskyardKeys,
} from '@taskyard/api/wire';
import type { Canvas, ChainSignature, ChordSignature, GroupSignature, Signature } from './canvas.js';
import type { ClientContext } from './client-context.js';
import { clientNamespace } from './client-namespace.js';
import type { ClientOptions } from './client-options.js';
import { ConnectionGuard } from './connection-guard.js';
import { DeadLetters } from './dead-letters.js';
import { Enqueuer } from './enqueue/enqueuer.js';
import type { EnqueueOptions } from './enqueue-options.js';
import type { QueueCounts } from './queue-counts.js';
import { readQueueCounts } from './queue-counts-reader.js';
import { revokeTask, type RevokeOutcome } from './revoke-task.js';
import { RouteTable } from './route-table.js';
import { GroupHandle, TaskHandle, type ResultOptions } from './task-handle.js';
import { readTaskStatus, waitForResult } from './task-status-reader.js';
import type { TaskStatus } from './task-status.js';

export { REVOKE_RETENTION_MS } from '@taskyard/api/wire';

/**
 * The Taskyard client SDK (Celery's `app` on the calling side): enqueue tasks, follow their state
 * and results, revoke them, build chains/groups/chords, read queue counts and manage dead letters.
 * It works in one namespace (`namespace` option); queue names are names in that namespace. One
 * client holds one Redis connection (connectRedis, role `client`); share it and `close()` it at exit.
 *
 * Redis outages: the connection does not queue commands while Redis is down, so a call fails fast
 * with RedisUnavailableError. An enqueue either added the task (and reports it) or left nothing
 * behind (wire/task-marker.ts); retrying with the same `taskId`/`idempotencyKey` never duplicates.
 */
export class TaskyardClient implements ClientContext {
  readonly prefix: string;
  readonly namespace: string;
  readonly defaultQueue: string;
  readonly routes: RouteTable;
  readonly connection: RedisConnection;
  readonly keys: TaskyardKeys;
  /** Dead letters: list, replay, purge (dead-letters.ts). */
  readonly deadLetters: DeadLetters;
  private readonly ownsConnection: boolean;
  private readonly connectionGuard: ConnectionGuard;
  private readonly queues = new Map<string, Queue>();
  private readonly enqueuer: Enqueuer;
  private readonly policyCache = new Map<string, { at: number; value: Promise<QueuePolicyView> }>();
  private readonly policyCacheMs: number;

  constructor(options: ClientOptions = {}) {
    this.prefix = options.prefix ?? process.env[RuntimeEnv.prefix] ?? DEFAULT_PREFIX;
    this.namespace = clientNamespace(options.namespace);
    this.defaultQueue = options.defaultQueue ?? 'default';
    this.routes = new RouteTable(options.routes);
    for (const q of [this.defaultQueue, ...this.routes.queues()]) this.ref(q);
    this.policyCacheMs = options.policyCacheMs ?? 5000;
    this.keys = taskyardKeys(this.prefix);
    if (options.connection) {
      this.connection = options.connection;
      this.ownsConnection = false;
    } else {
      const url = options.redisUrl ?? process.env[RuntimeEnv.redisUrl] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
      this.connection = connectRedis(url, { role: 'client', lazyConnect: true, ...(options.redisOptions ? { redisOptions: options.redisOptions } : {}) });
      this.connection.on('error', () => {
        /* surfaced per call as RedisUnavailableError */
      });
      this.ownsConnection = true;
    }
    this.connectionGuard = new ConnectionGuard(this.connection, this.ownsConnection);
    this.enqueuer = new Enqueuer(this, this);
    this.deadLetters = new DeadLetters(this, this);
  }

  /**
   * Enqueues one task (Celery's `apply_async`). `args` and `options.kwargs` must be JSON; they are
   * checked (NonJsonArgumentError names the bad argument) and measured against the queue's
   * maxPayloadBytes (PayloadTooLargeError) before anything is written. The handle's `enqueued` says
   * whether this call added it (false when the task id was already taken).
   */
  enqueue(name: string, args: readonly unknown[] = [], options: EnqueueOptions = {}): Promise<TaskHandle> {
    return this.enqueuer.enqueue(name, args, options);
  }

  /** Enqueues many tasks; per queue in one round trip. All are validated before any is written. */
  enqueueBulk(items: ReadonlyArray<{ name: string; args?: readonly unknown[]; options?: EnqueueOptions }>): Promise<TaskHandle[]> {
    return this.enqueuer.enqueueBulk(items);
  }

  /**
   * Enqueues a signature, chain, group or chord (see canvas.ts). A chain returns the handle of its
   * last task (its result is the chain's); a chord the handle of its callback; a group a GroupHandle.
   * A chain or chord is added whole or not at all (`enqueued: false` when one of its ids is taken).
   */
  async apply(canvas: Signature | ChainSignature | ChordSignature): Promise<TaskHandle>;
  async apply(canvas: GroupSignature): Promise<GroupHandle>;
  async apply(canvas: Canvas): Promise<TaskHandle | GroupHandle>;
  async apply(canvas: Canvas): Promise<TaskHandle | GroupHandle> {
    return this.enqueuer.apply(canvas);
  }

  /** `client.chain(a, b)` = `client.apply(chain(a, b))`. */
  async chain(...tasks: Signature[]): Promise<TaskHandle> {
    if (tasks.length === 0) throw new TypeError('chain() needs at least one task signature');
    return (await this.apply({ kind: 'chain', tasks })) as TaskHandle;
  }

  /** `client.group(a, b)` = `client.apply(group(a, b))`. */
  async group(...tasks: Signature[]): Promise<GroupHandle> {
    if (tasks.length === 0) throw new TypeError('group() needs at least one task signature');
    return (await this.apply({ kind: 'group', tasks })) as GroupHandle;
  }

  /** `client.chord([a, b], cb)` = `client.apply(chord([a, b], cb))`. */
  async chord(header: readonly Signature[], callback: Signature): Promise<TaskHandle> {
    if (header.length === 0) throw new TypeError('chord() needs at least one header task');
    return (await this.apply({ kind: 'chord', header, callback })) as TaskHandle;
  }

  /** The queue a task goes to without an explicit `queue` option. */
  route(taskName: string): string {
    return this.routes.queueFor(taskName) ?? this.defaultQueue;
  }

  /**
   * The task's state (Celery names), result or error, progress and timestamps. Without `queue`, the
   * task is looked up in the namespace's queues (default, routed, then every queue used). Unknown
   * ids are PENDING with no name.
   */
  status(id: string, options: { queue?: string } = {}): Promise<TaskStatus> {
    return readTaskStatus(this, id, options);
  }

  /** Waits for the task to finish (Celery's `AsyncResult.get()`); see task-status-reader.ts. */
  result(id: string, options: ResultOptions = {}): Promise<unknown> {
    return waitForResult(this, id, options);
  }

  /** True when a task with this id is in the queue (marker or job; result not yet expired). */
  exists(id: string, queueName: string): Promise<boolean> {
    return this.guard('exists', () => taskIsInQueue(this.connection, this.keys, this.ref(queueName), id));
  }

  /** Last value the task reported with ctx.progress(), or undefined. */
  async progress(id: string, options: { queue?: string } = {}): Promise<unknown> {
    return (await this.status(id, options)).progress;
  }

  /**
   * Revokes a task (Celery's `control.revoke`), persistently; `terminate` aborts a running attempt.
   * Throws TaskNotFoundError for an id no queue knows and TaskAlreadyFinishedError for a SUCCESS or
   * FAILURE task; in both cases nothing is written (the rule: revoke-task.ts).
   */
  revoke(id: string, options: { terminate?: boolean; queue?: string } = {}): Promise<RevokeOutcome> {
    return revokeTask(this, id, options);
  }

  /** Job counts of a queue and its dead-letter queue. */
  queueCounts(queueName: string): Promise<QueueCounts> {
    return readQueueCounts(this, queueName);
  }

  /** The queue's policy as written by the operator (defaults when there is none); cached policyCacheMs. */
  async policy(queueName: string, operation = 'policy read'): Promise<QueuePolicyView> {
    const cached = this.policyCache.get(queueName);
    if (cached && Date.now() - cached.at < this.policyCacheMs) return cached.value;
    const value = this.guard(operation, async () => (await loadQueuePolicy(this.connection, this.keys, this.ref(queueName))).policy);
    this.policyCache.set(queueName, { at: Date.now(), value });
    value.catch(() => this.policyCache.delete(queueName));
    return value;
  }

  /** The queue `name` in this client's namespace (TypeError naming a bad name). */
  ref(name: string): QueueRef {
    return checkQueueRef({ namespace: this.namespace, name });
  }

  /** The BullMQ Queue of a queue name of this namespace, for reads (opening it writes nothing). */
  queue(name: string): Queue {
    return this.bullQueue(bullQueueName(this.ref(name)), true);
  }

  /** The BullMQ Queue of a queue's dead letters. */
  deadQueue(name: string): Queue {
    return this.bullQueue(bullDeadQueueName(this.ref(name)), true);
  }

  /** The BullMQ Queue used to add to a queue (BullMQ writes its meta hash). */
  producerQueue(name: string): Queue {
    return this.bullQueue(bullQueueName(this.ref(name)), false);
  }

  /** Runs one Redis operation through the connection guard (RedisUnavailableError on an outage). */
  guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return this.connectionGuard.run(operation, run);
  }

  /** Closes the queues and, unless it was passed in, the Redis connection. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    await this.enqueuer.close();
    await this.deadLetters.close();
    if (this.ownsConnection) this.connection.disconnect();
  }

  private bullQueue(bullName: string, readOnly: boolean): Queue {
    const key = `${readOnly ? 'r' : 'w'}:${bullName}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new Queue(bullName, { connection: this.connection, prefix: this.prefix, skipMetasUpdate: readOnly });
      queue.on('error', () => {
        /* surfaced per call */
      });
      this.queues.set(key, queue);
    }
    return queue;
  }
}
