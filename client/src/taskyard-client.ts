import { randomUUID, createHash } from 'node:crypto';
import { FlowProducer, Job, Queue, type FlowJob, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  ATTEMPTS_CEILING,
  DEFAULT_PREFIX,
  DeadLetterRecordSchema,
  RuntimeEnv,
  TASKYARD_BACKOFF_TYPE,
  TASK_MESSAGE_VERSION,
  deadLetterQueueName,
  isFinalTaskState,
  taskStateFrom,
  taskyardKeys,
  type BullJobState,
  type TaskError,
  type TaskMessage,
  type TaskOptions,
} from '@taskyard/api';
import type { Canvas, ChainSignature, ChordSignature, GroupSignature, Signature } from './canvas.js';
import { checkJsonArgs } from './check-json-args.js';
import type { ClientOptions } from './client-options.js';
import type { DeadLetterEntry } from './dead-letter-entry.js';
import type { EnqueueOptions } from './enqueue-options.js';
import {
  InvalidEnqueueOptionsError,
  PayloadTooLargeError,
  RedisUnavailableError,
  ResultTimeoutError,
  TaskFailedError,
  TaskRevokedError,
} from './errors.js';
import type { QueueCounts } from './queue-counts.js';
import { readQueuePolicy, type QueuePolicyView } from './queue-policy-view.js';
import { RouteTable } from './route-table.js';
import { GroupHandle, TaskHandle, type ResultOptions } from './task-handle.js';
import type { TaskStatus } from './task-status.js';

/** How long revoked ids are remembered (the revoked zset is trimmed past this age). */
export const REVOKE_RETENTION_MS = 7 * 24 * 3600_000;

/** Writes a task's marker (queue, name) and its expiry in one command. */
const MARKER_SCRIPT = "redis.call('HSET', KEYS[1], 'queue', ARGV[1], 'name', ARGV[2]); return redis.call('PEXPIRE', KEYS[1], ARGV[3])";

/** The connection with the marker script defined (EVALSHA, loaded once). */
type MarkerCommand = Redis & { taskyardMarker(key: string, queue: string, name: string, ttlMs: number): Promise<number> };

/** A job ready to be added: where, what, how. */
interface PreparedJob {
  queue: string;
  name: string;
  id: string;
  data: TaskMessage;
  opts: JobsOptions;
}

/**
 * The Taskyard client SDK (Celery's `app` on the calling side): enqueue tasks, follow their
 * state and results, revoke them, build chains/groups/chords, read queue counts and manage dead
 * letters. One client holds one Redis connection; share it across your app and `close()` it at exit.
 *
 * Redis outages: the connection does not queue commands while Redis is down (BullMQ's advice for
 * producers), so a call fails fast with RedisUnavailableError instead of hanging. An enqueue that
 * fails that way either added nothing or (if the reply was lost) added the task once: BullMQ adds
 * atomically, so retrying with the same `taskId`/`idempotencyKey` never makes a duplicate.
 */
export class TaskyardClient {
  readonly prefix: string;
  readonly defaultQueue: string;
  readonly routes: RouteTable;
  readonly connection: Redis;
  private readonly ownsConnection: boolean;
  private readonly keys: ReturnType<typeof taskyardKeys>;
  private readonly queues = new Map<string, Queue>();
  private flowProducer: FlowProducer | undefined;
  private readonly policyCache = new Map<string, { at: number; value: Promise<QueuePolicyView> }>();
  private readonly policyCacheMs: number;

  constructor(options: ClientOptions = {}) {
    this.prefix = options.prefix ?? process.env[RuntimeEnv.prefix] ?? DEFAULT_PREFIX;
    this.defaultQueue = options.defaultQueue ?? 'default';
    this.routes = new RouteTable(options.routes);
    this.policyCacheMs = options.policyCacheMs ?? 5000;
    this.keys = taskyardKeys(this.prefix);
    if (options.connection) {
      this.connection = options.connection;
      this.ownsConnection = false;
    } else {
      const url = options.redisUrl ?? process.env[RuntimeEnv.redisUrl] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
      this.connection = new Redis(url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        // commands issued in the same tick (the add, the marker) leave in one socket write
        enableAutoPipelining: true,
        lazyConnect: true,
        connectTimeout: 5000,
        ...options.redisOptions,
      });
      this.connection.on('error', () => {
        /* surfaced per call as RedisUnavailableError */
      });
      this.ownsConnection = true;
    }
    if (!('taskyardMarker' in this.connection)) {
      this.connection.defineCommand('taskyardMarker', { numberOfKeys: 1, lua: MARKER_SCRIPT });
    }
  }

  // ---------------------------------------------------------------- enqueue

  /**
   * Enqueues one task (Celery's `apply_async`). `args` and `options.kwargs` must be JSON; they are
   * checked (NonJsonArgumentError names the bad argument) and measured against the queue's
   * maxPayloadBytes (PayloadTooLargeError) before anything is written.
   */
  async enqueue(name: string, args: readonly unknown[] = [], options: EnqueueOptions = {}): Promise<TaskHandle> {
    const job = await this.prepare(name, args, options);
    await this.guard('enqueue', async () => {
      await Promise.all([this.queue(job.queue).add(job.name, job.data, job.opts), this.writeMarkers([job])]);
    });
    return new TaskHandle(this, job.id, job.queue, job.name);
  }

  /** Enqueues many tasks; per queue in one round trip. All are validated before any is written. */
  async enqueueBulk(
    items: ReadonlyArray<{ name: string; args?: readonly unknown[]; options?: EnqueueOptions }>,
  ): Promise<TaskHandle[]> {
    const jobs = await Promise.all(items.map((it) => this.prepare(it.name, it.args ?? [], it.options ?? {})));
    await this.addPrepared(jobs);
    return jobs.map((j) => new TaskHandle(this, j.id, j.queue, j.name));
  }

  /**
   * Enqueues a signature, chain, group or chord (see canvas.ts). A chain returns the handle of its
   * last task (its result is the chain's); a chord the handle of its callback; a group a GroupHandle.
   */
  async apply(canvas: Signature | ChainSignature | ChordSignature): Promise<TaskHandle>;
  async apply(canvas: GroupSignature): Promise<GroupHandle>;
  async apply(canvas: Canvas): Promise<TaskHandle | GroupHandle>;
  async apply(canvas: Canvas): Promise<TaskHandle | GroupHandle> {
    switch (canvas.kind) {
      case 'task':
        return this.enqueue(canvas.name, canvas.args, canvas.options);
      case 'group': {
        const handles = await this.enqueueBulk(canvas.tasks.map((t) => ({ name: t.name, args: t.args, options: t.options })));
        return new GroupHandle(randomUUID(), handles);
      }
      case 'chain': {
        const prepared = await Promise.all(canvas.tasks.map((t) => this.prepare(t.name, t.args, t.options)));
        prepared.forEach((p, i) => {
          if (i > 0) p.data.input = 'chain';
        });
        let tree: FlowJob | undefined;
        for (const p of prepared) tree = this.flowJob(p, tree ? [tree] : undefined);
        const last = prepared[prepared.length - 1] as PreparedJob;
        await this.addFlow(tree as FlowJob, prepared);
        return new TaskHandle(this, last.id, last.queue, last.name);
      }
      case 'chord': {
        const header = await Promise.all(canvas.header.map((t) => this.prepare(t.name, t.args, t.options)));
        const cb = await this.prepare(canvas.callback.name, canvas.callback.args, canvas.callback.options);
        cb.data.input = 'chord';
        cb.data.header = header.map((h) => h.id);
        const tree = this.flowJob(cb, header.map((h) => this.flowJob(h)));
        await this.addFlow(tree, [...header, cb]);
        return new TaskHandle(this, cb.id, cb.queue, cb.name);
      }
    }
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

  // ---------------------------------------------------------------- state & results

  /** The task's state (Celery names), result or error, progress and timestamps. Unknown ids are PENDING. */
  async status(id: string, options: { queue?: string } = {}): Promise<TaskStatus> {
    return this.guard('status', async () => {
      const marker = await this.connection.hgetall(this.keys.task(id));
      const queueName = options.queue ?? marker.queue ?? this.defaultQueue;
      const queue = this.queue(queueName);
      // State first, then the job: BullMQ writes a job's result and moves it to completed/failed in one
      // script, so a state read before the job hash never pairs SUCCESS with a result not yet read.
      // (Read in parallel, a job fetched just before it finished came back with no result.)
      const jobState = await queue.getJobState(id);
      const job = await Job.fromId(queue, id);
      const error = job?.failedReason !== undefined && job.failedReason !== null && jobState === 'failed' ? jobError(job) : undefined;
      const state = taskStateFrom(jobState as BullJobState, {
        attemptsMade: job?.attemptsMade ?? 0,
        markerState: marker.state,
        errorName: error?.name,
      });
      const status: TaskStatus = { id, state, queue: queueName, attemptsMade: job?.attemptsMade ?? 0 };
      const name = job?.name ?? marker.name;
      if (name !== undefined) status.name = name;
      if (state === 'SUCCESS') status.result = job?.returnvalue;
      if (error) status.error = error;
      if (state === 'REVOKED') status.revokedReason = marker.reason ?? (error?.name === 'TaskExpired' ? 'expired' : 'revoked');
      const progress = job?.progress;
      if (progress !== undefined && progress !== 0 && !(typeof progress === 'object' && Object.keys(progress).length === 0)) {
        status.progress = progress;
      }
      if (job?.timestamp) status.enqueuedAt = job.timestamp;
      if (job?.processedOn) status.startedAt = job.processedOn;
      if (job?.finishedOn) status.finishedAt = job.finishedOn;
      return status;
    });
  }

  /**
   * Waits for the task to finish (Celery's `AsyncResult.get()`): resolves with its return value,
   * rejects with TaskFailedError (carrying the task's error name, message and remote stack) on
   * FAILURE, TaskRevokedError on REVOKED, ResultTimeoutError after `timeout` ms.
   */
  async result(id: string, options: ResultOptions = {}): Promise<unknown> {
    const deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout;
    const maxInterval = options.maxPollInterval ?? 200;
    let interval = 5;
    for (;;) {
      const status = await this.status(id, options.queue !== undefined ? { queue: options.queue } : {});
      if (isFinalTaskState(status.state)) {
        if (status.state === 'SUCCESS') return status.result;
        if (status.state === 'REVOKED') throw new TaskRevokedError(id, status.revokedReason ?? 'revoked');
        throw new TaskFailedError(id, status.error ?? { name: 'Error', message: 'task failed' });
      }
      const now = Date.now();
      if (now >= deadline) throw new ResultTimeoutError(id, options.timeout ?? 0, status.state);
      await new Promise((r) => setTimeout(r, Math.min(interval, deadline - now)));
      interval = Math.min(interval * 2, maxInterval);
    }
  }

  /** True when a task with this id is in the queue's keyspace (any state, result not yet expired). */
  async exists(id: string, queueName: string): Promise<boolean> {
    return this.guard('exists', async () => (await this.connection.exists(this.queue(queueName).toKey(id))) === 1);
  }

  /** Last value the task reported with ctx.progress(), or undefined. */
  async progress(id: string, options: { queue?: string } = {}): Promise<unknown> {
    return (await this.status(id, options)).progress;
  }

  /**
   * Revokes a task (Celery's `control.revoke`). Persistent: the id is stored in `<prefix>:revoked`,
   * so a worker that picks the task up later (even after restarts) discards it; a waiting or
   * delayed task is removed from its queue at once. With `terminate: true`, a task that is running
   * is aborted wherever it runs (its ctx.signal aborts, then its sandbox is killed). A task that
   * already finished keeps its state.
   */
  async revoke(id: string, options: { terminate?: boolean; queue?: string } = {}): Promise<void> {
    await this.guard('revoke', async () => {
      const now = Date.now();
      const marker = this.keys.task(id);
      const multi = this.connection
        .multi()
        .zadd(this.keys.revoked, now, id)
        .zremrangebyscore(this.keys.revoked, '-inf', now - REVOKE_RETENTION_MS)
        .hset(marker, 'state', 'REVOKED', 'reason', 'revoked', 'revokedAt', String(now))
        .pexpire(marker, REVOKE_RETENTION_MS)
        .publish(this.keys.revokeChannel, JSON.stringify({ id, terminate: options.terminate === true }))
        .hget(marker, 'queue');
      const replies = await multi.exec();
      const recordedQueue = replies?.[5]?.[1];
      const queue = this.queue(options.queue ?? (typeof recordedQueue === 'string' ? recordedQueue : this.defaultQueue));
      const state = await queue.getJobState(id);
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
        await queue.remove(id).catch(() => 0); // a worker took it meanwhile: it sees the revoke instead
      }
    });
  }

  // ---------------------------------------------------------------- queues & dead letters

  /** Job counts of a queue and its dead-letter queue. */
  async queueCounts(queueName: string): Promise<QueueCounts> {
    return this.guard('queueCounts', async () => {
      const [c, dead] = await Promise.all([
        this.queue(queueName).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed', 'waiting-children', 'paused'),
        this.queue(deadLetterQueueName(queueName)).getJobCounts('waiting', 'paused'),
      ]);
      return {
        queue: queueName,
        waiting: c.waiting ?? 0,
        prioritized: c.prioritized ?? 0,
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        waitingChildren: c['waiting-children'] ?? 0,
        paused: c.paused ?? 0,
        dead: (dead.waiting ?? 0) + (dead.paused ?? 0),
      };
    });
  }

  /** Dead letters of a queue: tasks whose last attempt failed, with their error. */
  readonly deadLetters = {
    /** Oldest first; `offset`/`limit` page through them (default 0 / 100). */
    list: async (queueName: string, page: { offset?: number; limit?: number } = {}): Promise<DeadLetterEntry[]> => {
      const offset = page.offset ?? 0;
      const limit = page.limit ?? 100;
      return this.guard('deadLetters.list', async () => {
        const jobs = await this.queue(deadLetterQueueName(queueName)).getJobs(['waiting', 'paused'], offset, offset + limit - 1, true);
        return jobs.flatMap((job) => {
          const parsed = DeadLetterRecordSchema.safeParse(job.data);
          return parsed.success && job.id !== undefined ? [{ id: job.id, ...parsed.data }] : [];
        });
      });
    },

    /**
     * Runs dead letters again: each one's task is enqueued anew on its queue under its original
     * task id (fresh attempts; the old failed record is replaced) and the entry leaves the
     * dead-letter queue. `ids` = entry ids from list(); default all.
     */
    replay: async (queueName: string, ids?: readonly string[]): Promise<TaskHandle[]> => {
      const entries = await this.deadLetters.list(queueName, { limit: 100_000 });
      const chosen = ids === undefined ? entries : entries.filter((e) => ids.includes(e.id));
      if (ids !== undefined) {
        const missing = ids.filter((id) => !entries.some((e) => e.id === id));
        if (missing.length > 0) throw new Error(`dead-letter queue ${deadLetterQueueName(queueName)} has no entries ${missing.join(', ')} (list them with deadLetters.list)`);
      }
      const handles: TaskHandle[] = [];
      for (const entry of chosen) {
        const policy = await this.policy(entry.queue);
        const queue = this.queue(entry.queue);
        await this.guard('deadLetters.replay', async () => {
          const old = await Job.fromId(queue, entry.taskId);
          if (old) await old.remove().catch(() => undefined);
          const data: TaskMessage = { ...entry.message, replayOf: entry.id };
          await queue.add(entry.message.name, data, this.jobOptions(entry.taskId, data.options, policy, 0));
          await this.writeMarkers([{ queue: entry.queue, name: entry.message.name, id: entry.taskId, data, opts: {} }]);
          await this.connection.hdel(this.keys.task(entry.taskId), 'state', 'reason');
          await this.queue(deadLetterQueueName(queueName)).remove(entry.id);
        });
        handles.push(new TaskHandle(this, entry.taskId, entry.queue, entry.message.name));
      }
      return handles;
    },

    /** Deletes every dead letter of a queue; returns how many there were. */
    purge: async (queueName: string): Promise<number> => {
      return this.guard('deadLetters.purge', async () => {
        const dead = this.queue(deadLetterQueueName(queueName));
        const counts = await dead.getJobCounts('waiting', 'paused');
        await dead.drain(true);
        return (counts.waiting ?? 0) + (counts.paused ?? 0);
      });
    },
  };

  /** The queue's policy as written by the operator (defaults when there is none); cached policyCacheMs. */
  async policy(queueName: string, operation = 'policy read'): Promise<QueuePolicyView> {
    const cached = this.policyCache.get(queueName);
    if (cached && Date.now() - cached.at < this.policyCacheMs) return cached.value;
    const value = this.guard(operation, async () => {
      const raw = await this.connection.get(this.keys.policy(queueName));
      if (raw === null) return readQueuePolicy(undefined);
      try {
        return readQueuePolicy(JSON.parse(raw));
      } catch {
        return readQueuePolicy(undefined);
      }
    });
    this.policyCache.set(queueName, { at: Date.now(), value });
    value.catch(() => this.policyCache.delete(queueName));
    return value;
  }

  /** The BullMQ Queue object of a queue name (shares this client's connection). */
  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => {
        /* surfaced per call */
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Closes the queues and, unless it was passed in, the Redis connection. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    if (this.flowProducer) await this.flowProducer.close().catch(() => undefined);
    if (this.ownsConnection) this.connection.disconnect();
  }

  // ---------------------------------------------------------------- internals

  private async prepare(name: string, args: readonly unknown[], options: EnqueueOptions): Promise<PreparedJob> {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidEnqueueOptionsError('task name must be a non-empty string, e.g. client.enqueue("emails.send", [...])');
    }
    if (!Array.isArray(args)) {
      throw new InvalidEnqueueOptionsError(`task "${name}": args must be an array of positional arguments (got ${typeof args}); keyword arguments go in options.kwargs`);
    }
    const kwargs = options.kwargs ?? {};
    const hasDates = checkJsonArgs(name, args, kwargs);
    const queueName = options.queue ?? this.route(name);
    const policy = await this.policy(queueName, 'enqueue');
    const argsJson = JSON.stringify({ args, kwargs });
    const bytes = Buffer.byteLength(argsJson);
    if (bytes > policy.maxPayloadBytes) throw new PayloadTooLargeError(name, queueName, bytes, policy.maxPayloadBytes);
    const now = Date.now();
    const delay = startDelay(name, options, now);
    const id = taskIdFor(name, options);
    // values are checked JSON already; only Dates change through JSON (to ISO strings)
    const parsedArgs = hasDates
      ? (JSON.parse(argsJson) as { args: TaskMessage['args']; kwargs: TaskMessage['kwargs'] })
      : { args: args as TaskMessage['args'], kwargs: kwargs as TaskMessage['kwargs'] };
    const data: TaskMessage = { v: TASK_MESSAGE_VERSION, name, args: parsedArgs.args, kwargs: parsedArgs.kwargs, enqueuedAt: now };
    const expires = expiresAt(name, options.expires, now) ?? (policy.expires !== undefined ? now + delay + policy.expires : undefined);
    if (expires !== undefined) data.expires = expires;
    if (options.schedule) {
      data.scheduleId = options.schedule.id;
      data.tick = options.schedule.tick;
    }
    const overrides = taskOptionOverrides(options);
    if (overrides) data.options = overrides;
    if (options.priority !== undefined && (!Number.isInteger(options.priority) || options.priority < 0 || options.priority > 2_097_152)) {
      throw new InvalidEnqueueOptionsError(`task "${name}": priority must be an integer from 1 (highest) to 2097152 (got ${options.priority})`);
    }
    const opts = this.jobOptions(id, overrides, policy, delay);
    if (options.priority !== undefined && options.priority > 0) opts.priority = options.priority;
    return { queue: queueName, name, id, data, opts };
  }

  private jobOptions(id: string, overrides: TaskOptions | undefined, policy: QueuePolicyView, delay: number): JobsOptions {
    const opts: JobsOptions = {
      jobId: id,
      attempts: overrides?.attempts ?? ATTEMPTS_CEILING,
      backoff: { type: TASKYARD_BACKOFF_TYPE },
      removeOnComplete: { age: Math.ceil((overrides?.resultTTL ?? policy.resultTTL) / 1000) },
      removeOnFail: { age: Math.ceil((overrides?.failedTTL ?? policy.failedTTL) / 1000) },
    };
    if (delay > 0) opts.delay = delay;
    return opts;
  }

  private flowJob(p: PreparedJob, children?: FlowJob[]): FlowJob {
    const job: FlowJob = {
      name: p.name,
      queueName: p.queue,
      data: p.data,
      opts: { ...p.opts, failParentOnFailure: true },
      prefix: this.prefix,
    };
    if (children) job.children = children;
    return job;
  }

  private async addPrepared(jobs: PreparedJob[]): Promise<void> {
    const byQueue = new Map<string, PreparedJob[]>();
    for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), j]);
    await this.guard('enqueueBulk', async () => {
      await Promise.all([
        ...[...byQueue].map(([q, js]) => this.queue(q).addBulk(js.map((j) => ({ name: j.name, data: j.data, opts: j.opts })))),
        this.writeMarkers(jobs),
      ]);
    });
  }

  private async addFlow(tree: FlowJob, jobs: PreparedJob[]): Promise<void> {
    this.flowProducer ??= new FlowProducer({ connection: this.connection, prefix: this.prefix });
    this.flowProducer.on('error', () => undefined);
    const producer = this.flowProducer;
    await this.guard('enqueue flow', async () => {
      await Promise.all([producer.add(tree), this.writeMarkers(jobs)]);
    });
  }

  /** Records each task's queue and name in its marker hash so status(id) works without a queue. */
  private async writeMarkers(jobs: PreparedJob[]): Promise<void> {
    const ttl = (j: PreparedJob): number =>
      Math.max(Number(j.opts.delay ?? 0), 0) + 2 * 24 * 3600_000 +
      Math.max(
        Number((j.opts.removeOnComplete as { age?: number } | undefined)?.age ?? 0),
        Number((j.opts.removeOnFail as { age?: number } | undefined)?.age ?? 0),
      ) * 1000;
    const [single] = jobs;
    if (jobs.length === 1 && single) {
      // one command (a tiny script), not an ioredis Pipeline object per enqueue: that costs more CPU than the add itself
      await (this.connection as MarkerCommand).taskyardMarker(this.keys.task(single.id), single.queue, single.name, ttl(single));
      return;
    }
    const pipeline = this.connection.pipeline();
    for (const j of jobs) {
      const key = this.keys.task(j.id);
      pipeline.hset(key, 'queue', j.queue, 'name', j.name).pexpire(key, ttl(j));
    }
    const replies = await pipeline.exec();
    const failed = replies?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  private async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.ownsConnection && this.connection.status !== 'ready') await this.connect(operation);
    try {
      return await run();
    } catch (err) {
      if (isConnectionError(err) || this.connection.status !== 'ready') throw new RedisUnavailableError(operation, err);
      throw err;
    }
  }

  private async connect(operation: string): Promise<void> {
    const c = this.connection;
    if (c.status === 'wait') {
      await c.connect().catch((err: unknown) => {
        throw new RedisUnavailableError(operation, err);
      });
      return;
    }
    if (c.status === 'end') throw new RedisUnavailableError(operation, new Error('client closed'));
    // connecting / reconnecting: wait briefly for ready
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        c.off('ready', onReady);
        reject(new RedisUnavailableError(operation, new Error(`not connected (status ${c.status})`)));
      }, 2000);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      c.once('ready', onReady);
    });
  }
}

function isConnectionError(err: unknown): boolean {
  const msg = (err as Error)?.message ?? '';
  return /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection is closed|enableOfflineQueue|Stream isn't writeable|max retries per request|MaxRetriesPerRequest/i.test(msg);
}

/** Task id: explicit, derived from the idempotency key, or a random UUID. */
function taskIdFor(name: string, options: EnqueueOptions): string {
  if (options.taskId !== undefined && options.idempotencyKey !== undefined) {
    throw new InvalidEnqueueOptionsError(`task "${name}": give either taskId or idempotencyKey, not both`);
  }
  if (options.idempotencyKey !== undefined) {
    if (typeof options.idempotencyKey !== 'string' || options.idempotencyKey.length === 0) {
      throw new InvalidEnqueueOptionsError(`task "${name}": idempotencyKey must be a non-empty string`);
    }
    return `idem-${createHash('sha256').update(options.idempotencyKey).digest('hex').slice(0, 40)}`;
  }
  if (options.taskId !== undefined) {
    if (typeof options.taskId !== 'string' || options.taskId.length === 0 || options.taskId.includes(':') || /^\d+$/.test(options.taskId)) {
      throw new InvalidEnqueueOptionsError(`task "${name}": taskId ${JSON.stringify(options.taskId)} must be a non-empty string without ':' that is not an integer`);
    }
    return options.taskId;
  }
  return randomUUID();
}

function startDelay(name: string, options: EnqueueOptions, now: number): number {
  if (options.countdown !== undefined && options.eta !== undefined) {
    throw new InvalidEnqueueOptionsError(`task "${name}": give either countdown (ms from now) or eta (a time), not both`);
  }
  if (options.countdown !== undefined) {
    if (typeof options.countdown !== 'number' || !Number.isFinite(options.countdown) || options.countdown < 0) {
      throw new InvalidEnqueueOptionsError(`task "${name}": countdown must be a number of ms >= 0 (got ${String(options.countdown)})`);
    }
    return Math.round(options.countdown);
  }
  if (options.eta !== undefined) {
    const at = new Date(options.eta).getTime();
    if (!Number.isFinite(at)) throw new InvalidEnqueueOptionsError(`task "${name}": eta ${JSON.stringify(options.eta)} is not a valid date (use a Date or an ISO 8601 string)`);
    return Math.max(0, at - now);
  }
  return 0;
}

function expiresAt(name: string, expires: EnqueueOptions['expires'], now: number): number | undefined {
  if (expires === undefined) return undefined;
  if (typeof expires === 'number') {
    if (!Number.isFinite(expires) || expires < 0) throw new InvalidEnqueueOptionsError(`task "${name}": expires must be ms from now (>= 0), a Date or an ISO string (got ${expires})`);
    return now + Math.round(expires);
  }
  const at = new Date(expires).getTime();
  if (!Number.isFinite(at)) throw new InvalidEnqueueOptionsError(`task "${name}": expires ${JSON.stringify(expires)} is not a valid date (use ms from now, a Date or an ISO 8601 string)`);
  return at;
}

function taskOptionOverrides(options: EnqueueOptions): TaskOptions | undefined {
  const o: TaskOptions = {};
  if (options.attempts !== undefined) {
    if (!Number.isInteger(options.attempts) || options.attempts < 1 || options.attempts > ATTEMPTS_CEILING) {
      throw new InvalidEnqueueOptionsError(`attempts must be an integer from 1 to ${ATTEMPTS_CEILING} (got ${options.attempts})`);
    }
    o.attempts = options.attempts;
  }
  if (options.backoff !== undefined) o.backoff = options.backoff;
  if (options.timeLimit !== undefined) o.timeLimit = options.timeLimit;
  if (options.autoretryFor !== undefined) o.autoretryFor = options.autoretryFor;
  if (options.resultTTL !== undefined) o.resultTTL = options.resultTTL;
  if (options.failedTTL !== undefined) o.failedTTL = options.failedTTL;
  return Object.keys(o).length > 0 ? o : undefined;
}

/** The task's error from a failed job: name from the first stack line, message, stack. */
function jobError(job: Job): TaskError {
  const stack = job.stacktrace?.[job.stacktrace.length - 1] ?? undefined;
  const firstLine = stack?.split('\n', 1)[0] ?? '';
  const m = /^([A-Za-z_$][\w$]*)(?::|$)/.exec(firstLine);
  const error: TaskError = { name: m?.[1] ?? 'Error', message: job.failedReason };
  if (stack) error.stack = stack;
  return error;
}
