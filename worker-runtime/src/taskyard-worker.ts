import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  DEFAULT_PREFIX,
  RuntimeEnv,
  TaskErrorNames,
  deadLetterQueueName,
  taskyardKeys,
  type DeadLetterRecord,
  type TaskError,
  type TaskMessage,
  type TaskOptions,
} from '@taskyard/api';
import { REVOKE_RETENTION_MS, readQueuePolicy, type QueuePolicyView } from '@taskyard/client';
import { backoffDelay } from './backoff-delay.js';
import { BundleError } from './bundle-error.js';
import { effectiveTaskOptions, isAutoretried, type EffectiveTaskOptions } from './effective-task-options.js';
import { fetchBundle } from './fetch-bundle.js';
import { startHealthServer } from './health-server.js';
import { createLogger, type JsonLogger } from './json-logger.js';
import { resolveBundleEntry } from './resolve-bundle-entry.js';
import { RuntimeMetrics } from './runtime-metrics.js';
import type { RunOutcome, SandboxTaskInfo } from './sandbox.js';
import { SandboxPool, type PoolTicket } from './sandbox-pool.js';
import { toError } from './task-failure.js';
import type { WorkerOptions } from './worker-options.js';

/** Tasks averaging under this many ms may be handed to sandboxes in batches. */
const SHORT_TASK_MS = 2;

/** Error a retryable attempt is rethrown as; the backoff strategy reads `taskyardDelay`. */
type RetryingError = Error & { taskyardDelay?: number };

/** One task running here. */
interface ActiveRun {
  queue: string;
  name: string;
  ticket: PoolTicket | undefined;
  revoking: boolean;
  softExceeded: boolean;
}

/**
 * The worker runtime: consumes queues with Celery's semantics, running each task in a sandbox
 * thread. `TaskyardWorker.start(options)` resolves once the bundle is loaded in every sandbox and
 * the queues are being consumed; `close()` drains (no new tasks, running ones finish) and stops.
 */
export class TaskyardWorker {
  readonly id: string;
  readonly metrics = new RuntimeMetrics();
  readonly logger: JsonLogger;
  /** The bundle's tasks by name. */
  tasks = new Map<string, SandboxTaskInfo>();
  /** Address of the HTTP server, when started. */
  httpPort: number | undefined;

  private readonly prefix: string;
  private readonly keys: ReturnType<typeof taskyardKeys>;
  private readonly queues: string[];
  private readonly concurrency: number;
  private readonly prefetch: number;
  private readonly conn: Redis;
  private subscriber: Redis | undefined;
  private pool: SandboxPool | undefined;
  private readonly bullWorkers = new Map<string, Worker>();
  private readonly bullQueues = new Map<string, Queue>();
  private readonly deadQueues = new Map<string, Queue>();
  private readonly policies = new Map<string, QueuePolicyView>();
  private readonly appliedPolicy = new Map<string, string>();
  private readonly revoked = new Set<string>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly finishedPerQueue = new Map<string, number>();
  private readonly lastDeadClean = new Map<string, number>();
  /** Moving average of each task's run time (decides which tasks may be batched). */
  private readonly durations = new Map<string, { avgMs: number; n: number }>();
  private readonly optionsCache = new Map<string, { policy: QueuePolicyView; opts: EffectiveTaskOptions }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private server: Server | undefined;
  private readonly startedAt = Date.now();
  private draining = false;
  private running = false;
  private closed: Promise<void> | undefined;

  private constructor(private readonly options: WorkerOptions) {
    if (!Array.isArray(options.queues) || options.queues.length === 0 || options.queues.some((q) => typeof q !== 'string' || q.length === 0)) {
      throw new TypeError(`worker: queues must name at least one queue (set ${RuntimeEnv.queues} or --queues)`);
    }
    this.queues = [...new Set(options.queues)];
    this.concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new TypeError(`worker: concurrency must be an integer >= 1 (got ${String(options.concurrency)}; set ${RuntimeEnv.concurrency} or --concurrency)`);
    }
    this.prefetch = options.prefetch ?? this.concurrency;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 0) {
      throw new TypeError(`worker: prefetch must be an integer >= 0 (got ${String(options.prefetch)})`);
    }
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.keys = taskyardKeys(this.prefix);
    const host = options.podName ?? hostname();
    this.id = `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.logger = createLogger(options.logLevel ?? 'info', { worker: this.id, ...(options.pool ? { pool: options.pool } : {}) }, options.logWrite);
    const url = options.redisUrl ?? process.env[RuntimeEnv.redisUrl] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    this.conn = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.conn.on('error', (err: Error) => this.logger.warn('redis connection error', { error: err.message }));
  }

  /** Loads the bundle into the sandboxes, then starts consuming. Rejects with BundleError for a bad bundle. */
  static async start(options: WorkerOptions): Promise<TaskyardWorker> {
    const worker = new TaskyardWorker(options);
    try {
      await worker.boot();
    } catch (err) {
      await worker.close().catch(() => undefined);
      throw err;
    }
    return worker;
  }

  /** True while the worker takes tasks (the /readyz answer). */
  isReady(): boolean {
    return this.running && !this.draining;
  }

  /** Task ids running here now. */
  activeTaskIds(): string[] {
    return [...this.active.keys()];
  }

  /**
   * Drains and stops: no new tasks are taken, running tasks finish (they keep their locks), then
   * sandboxes, connections and the HTTP server close. Safe to call twice.
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  // ------------------------------------------------------------------ boot

  private async boot(): Promise<void> {
    const entry = await this.bundleEntry();
    this.pool = new SandboxPool(this.concurrency, { entry, logLevel: this.options.logLevel ?? 'info', workerId: this.id });
    const tasks = await this.pool.start();
    this.tasks = new Map(tasks.map((t) => [t.name, t]));
    this.logger.info('bundle loaded', { bundle: entry, tasks: [...this.tasks.keys()] });

    await this.conn.connect().catch((err: Error) => {
      throw new Error(`worker: cannot reach Redis (${err.message}); check ${RuntimeEnv.redisUrl} / --redis-url`);
    });
    for (const q of this.queues) {
      this.bullQueues.set(q, this.newQueue(q));
      this.deadQueues.set(q, this.newQueue(deadLetterQueueName(q)));
    }
    await Promise.all(this.queues.map((q) => this.refreshPolicy(q)));
    await this.reloadRevoked();
    await this.subscribe();

    this.queues.forEach((queueName, priority) => this.bullWorkers.set(queueName, this.newBullWorker(queueName, priority)));
    for (const q of this.queues) await this.applyPolicy(q);
    await Promise.all([...this.bullWorkers.values()].map((w) => w.waitUntilReady()));
    this.running = true;

    await this.heartbeat();
    const heartbeatMs = this.options.heartbeatMs ?? 10_000;
    this.every(heartbeatMs, () => this.heartbeat());
    this.every(5_000, () => this.flushThroughput());
    this.every(this.options.resyncMs ?? 30_000, async () => {
      await this.reloadRevoked();
      for (const q of this.queues) await this.refreshPolicy(q).then(() => this.applyPolicy(q));
      await this.expireResults();
    });
    if (this.options.httpPort !== undefined) {
      this.server = await startHealthServer(this.options.httpPort, this.metrics.registry, () => this.isReady(), this.options.httpHost);
      const address = this.server.address();
      this.httpPort = typeof address === 'object' && address ? address.port : this.options.httpPort;
    }
    this.logger.info('worker started', { queues: this.queues, concurrency: this.concurrency, prefix: this.prefix, httpPort: this.httpPort });
  }

  private async bundleEntry(): Promise<string> {
    const { bundlePath, bundleUrl, bundleSha256 } = this.options;
    if ((bundlePath === undefined) === (bundleUrl === undefined)) {
      throw new BundleError(
        bundlePath ?? bundleUrl ?? '(none)',
        `give exactly one bundle source: a path (${RuntimeEnv.bundlePath} / --bundle) or a URL (${RuntimeEnv.bundleUrl} / --bundle-url with ${RuntimeEnv.bundleSha256})`,
      );
    }
    if (bundleUrl !== undefined) {
      if (!bundleSha256) throw new BundleError(bundleUrl, `a bundle URL needs its sha256 (${RuntimeEnv.bundleSha256} / --bundle-sha256); it is checked before any code runs`);
      const file = await fetchBundle(bundleUrl, bundleSha256);
      this.logger.info('bundle downloaded and verified', { url: bundleUrl, sha256: bundleSha256 });
      return file;
    }
    return resolveBundleEntry(bundlePath as string);
  }

  private newQueue(name: string): Queue {
    const q = new Queue(name, { connection: this.conn, prefix: this.prefix });
    q.on('error', (err: Error) => this.logger.warn('queue error', { queue: name, error: err.message }));
    return q;
  }

  private newBullWorker(queueName: string, priority: number): Worker {
    const worker = new Worker(queueName, (job: Job, token?: string) => this.process(job, queueName, priority, token), {
      connection: this.conn,
      prefix: this.prefix,
      concurrency: this.concurrency + this.prefetch,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: 2,
      autorun: true,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          (err as RetryingError | undefined)?.taskyardDelay ?? backoffDelay(attemptsMade, undefined),
      },
    });
    worker.on('error', (err: Error) => this.logger.warn('worker error', { queue: queueName, error: err.message }));
    worker.on('failed', (job: Job | undefined, err: Error) => {
      // Failures decided by BullMQ itself (a task stalled too often): still dead-letter them.
      if (job && /stalled more than allowable limit/.test(err.message)) {
        void this.deadLetter(queueName, job, { name: TaskErrorNames.workerLost, message: err.message, stack: err.stack ?? '' }).catch(() => undefined);
      }
    });
    return worker;
  }

  // ------------------------------------------------------------------ one task

  private async process(job: Job, queueName: string, priority: number, token?: string): Promise<unknown> {
    const startedAt = Date.now();
    const id = job.id as string;
    if (this.draining) return this.handBack(job, token);
    const data = job.data as TaskMessage;
    if (!isTaskMessage(data)) {
      return this.fail(job, queueName, { name: TaskErrorNames.invalidMessage, message: `job ${id} on ${queueName} is not a Taskyard task message (needs name, args array, kwargs object); enqueue it with the Taskyard client` }, false);
    }
    if (this.revoked.has(id)) {
      this.metrics.tasks.inc({ queue: queueName, task: data.name, state: 'REVOKED' });
      this.logger.info('task revoked before it started: discarded', { taskId: id, task: data.name, queue: queueName });
      throw unrecoverable({ name: TaskErrorNames.revoked, message: `task ${id} was revoked before it started` });
    }
    if (data.expires !== undefined && startedAt > data.expires) {
      await this.conn.multi().hset(this.keys.task(id), 'state', 'REVOKED', 'reason', 'expired').pexpire(this.keys.task(id), REVOKE_RETENTION_MS).exec();
      this.metrics.tasks.inc({ queue: queueName, task: data.name, state: 'REVOKED' });
      this.logger.info('task expired before it started: discarded', { taskId: id, task: data.name, queue: queueName, expires: new Date(data.expires).toISOString() });
      throw unrecoverable({ name: TaskErrorNames.expired, message: `task ${id} expired at ${new Date(data.expires).toISOString()} before a worker started it` });
    }
    const task = this.tasks.get(data.name);
    if (!task) {
      return this.fail(job, queueName, {
        name: TaskErrorNames.unknownTask,
        message: `no task named "${data.name}" in this worker's bundle (it has: ${[...this.tasks.keys()].join(', ')}); deploy a bundle that defines it, then replay the dead letter`,
      }, false);
    }
    const policy = this.policies.get(queueName) ?? readQueuePolicy(undefined);
    const opts = data.options === undefined ? this.defaultOptions(queueName, task, policy) : effectiveTaskOptions(data.options, task.options as TaskOptions | undefined, policy);
    const maxAttempts = Math.min(opts.attempts, job.opts.attempts ?? 1);
    let args: unknown[] = data.args;
    if (data.input) args = [await this.flowInput(job, data), ...args];
    if (job.attemptsMade === 0) {
      const due = job.timestamp + (job.opts.delay ?? 0);
      this.metrics.startDelaySeries(queueName).observe(Math.max(0, startedAt - due) / 1000);
    }

    const pool = this.pool as SandboxPool;
    const limited = opts.timeLimit.soft !== undefined || opts.timeLimit.hard !== undefined;
    const stats = this.durations.get(data.name);
    const batchable = !limited && stats !== undefined && stats.n >= 3 && stats.avgMs < SHORT_TASK_MS;
    const run: ActiveRun = { queue: queueName, name: data.name, ticket: undefined, revoking: false, softExceeded: false };
    this.active.set(id, run);
    const series = this.metrics.series(queueName, data.name);
    series.active.inc();
    let timers: NodeJS.Timeout[] = [];
    if (this.logger.enabled('debug')) this.logger.debug('task started', { taskId: id, task: data.name, queue: queueName, attempt: job.attemptsMade + 1 });
    let outcome: RunOutcome;
    try {
      const ticket = pool.submit(
        { id, name: data.name, queue: queueName, attempt: job.attemptsMade + 1, attempts: maxAttempts, args, kwargs: data.kwargs },
        {
          priority,
          batchable,
          onProgress: (value) => {
            void job.updateProgress(value as object).catch((err: Error) => this.logger.warn('progress not saved', { taskId: id, error: err.message }));
          },
          // unbatched tasks start as soon as they are handed to an idle sandbox
          onDispatch: limited ? () => (timers = this.limitTimers(run, opts)) : undefined,
        },
      );
      run.ticket = ticket;
      outcome = await ticket.outcome;
    } finally {
      for (const t of timers) clearTimeout(t);
      this.active.delete(id);
      series.active.dec();
    }
    if ('handBack' in outcome) return this.handBack(job, token);
    if ('requeue' in outcome) throw new Error('internal: a requeued run settled'); // the pool never settles with requeue
    series.duration.observe(outcome.ms / 1000);
    this.recordDuration(data.name, outcome.ms);
    this.countFinished(queueName);

    if (outcome.ok) {
      series.success.inc();
      if (this.logger.enabled('debug')) this.logger.debug('task succeeded', { taskId: id, task: data.name, queue: queueName, ms: Math.round(outcome.ms) });
      return outcome.value;
    }
    if (run.revoking) {
      this.metrics.tasks.inc({ queue: queueName, task: data.name, state: 'REVOKED' });
      this.logger.info('task terminated by revoke', { taskId: id, task: data.name, queue: queueName });
      throw unrecoverable({ name: TaskErrorNames.revoked, message: `task ${id} was revoked with terminate while running`, stack: outcome.error.stack ?? '' });
    }
    let error = outcome.error;
    if (run.softExceeded && error.name !== TaskErrorNames.softTimeLimit && error.name !== TaskErrorNames.hardTimeLimit) {
      error = {
        name: TaskErrorNames.softTimeLimit,
        message: `soft time limit (${opts.timeLimit.soft} ms) exceeded; the task ended with ${error.name}: ${error.message}`,
        stack: `${TaskErrorNames.softTimeLimit}: soft time limit (${opts.timeLimit.soft} ms) exceeded\n${error.stack ?? ''}`,
      };
    }
    const attempt = job.attemptsMade + 1;
    const retryable = outcome.retry !== undefined || isAutoretried(error.name, opts.autoretryFor);
    if (retryable && attempt < maxAttempts) {
      const delay = Math.max(1, outcome.retry?.delay ?? backoffDelay(attempt, opts.backoff));
      this.metrics.tasks.inc({ queue: queueName, task: data.name, state: 'RETRY' });
      this.logger.info('task will retry', { taskId: id, task: data.name, queue: queueName, attempt, attempts: maxAttempts, delayMs: delay, error: `${error.name}: ${error.message}` });
      const err: RetryingError = toError(error);
      err.taskyardDelay = delay;
      throw err;
    }
    return this.fail(job, queueName, error, true);
  }

  /**
   * Gives a task that has not started back to its queue (Celery's reject with requeue): used while
   * draining, for a task BullMQ handed over after the drain began or that waited for a sandbox.
   * No attempt is counted; another worker takes it.
   */
  private async handBack(job: Job, token: string | undefined): Promise<never> {
    await job.moveToDelayed(Date.now(), token);
    this.logger.info('draining: task handed back to its queue', { taskId: job.id, task: job.name });
    throw new DelayedError();
  }

  /** Final failure: dead-letter it (when enabled), count it, and fail the job without retry. */
  private async fail(job: Job, queueName: string, error: TaskError, counted: boolean): Promise<never> {
    const name = typeof (job.data as TaskMessage | undefined)?.name === 'string' ? (job.data as TaskMessage).name : job.name;
    if (!counted) this.countFinished(queueName);
    this.metrics.tasks.inc({ queue: queueName, task: name, state: 'FAILURE' });
    this.logger.error('task failed', { taskId: job.id, task: name, queue: queueName, attempt: job.attemptsMade + 1, error: `${error.name}: ${error.message}`, stack: error.stack });
    await this.deadLetter(queueName, job, error);
    throw unrecoverable(error);
  }

  private async deadLetter(queueName: string, job: Job, error: TaskError): Promise<void> {
    const policy = this.policies.get(queueName) ?? readQueuePolicy(undefined);
    if (!policy.deadLetter.enabled || !isTaskMessage(job.data)) return;
    const dead = this.deadQueues.get(queueName) ?? this.newQueue(deadLetterQueueName(queueName));
    const failedAt = Date.now();
    const record: DeadLetterRecord = {
      taskId: job.id as string,
      queue: queueName,
      message: job.data as TaskMessage,
      error,
      attemptsMade: job.attemptsMade + 1,
      failedAt,
      worker: this.id,
    };
    await dead.add(record.message.name, record, { jobId: `${record.taskId}-dead-${failedAt}` });
    const ttl = policy.deadLetter.ttl;
    const last = this.lastDeadClean.get(queueName) ?? 0;
    if (ttl !== undefined && failedAt - last > 60_000) {
      this.lastDeadClean.set(queueName, failedAt);
      await dead.clean(ttl, 1000, 'wait').catch(() => []);
    }
  }

  /** Arms the soft and hard time limits of one run. */
  private limitTimers(run: ActiveRun, opts: EffectiveTaskOptions): NodeJS.Timeout[] {
    const timers: NodeJS.Timeout[] = [];
    const { soft, hard } = opts.timeLimit;
    if (soft !== undefined) {
      timers.push(
        setTimeout(() => {
          run.softExceeded = true;
          if (run.ticket) this.pool?.abort(run.ticket, { name: TaskErrorNames.softTimeLimit, message: `soft time limit (${soft} ms) exceeded` });
          if (hard === undefined) {
            timers.push(
              setTimeout(() => {
                if (run.ticket) void this.pool?.kill(run.ticket, { name: TaskErrorNames.softTimeLimit, message: `soft time limit (${soft} ms) exceeded and the task ignored ctx.signal: sandbox killed` });
              }, this.options.softLimitGraceMs ?? 1000),
            );
          }
        }, soft),
      );
    }
    if (hard !== undefined) {
      timers.push(
        setTimeout(() => {
          this.logger.warn('hard time limit exceeded: killing the sandbox', { task: run.name, queue: run.queue, hardMs: hard });
          if (run.ticket) void this.pool?.kill(run.ticket, { name: TaskErrorNames.hardTimeLimit, message: `hard time limit (${hard} ms) exceeded: the sandbox running the task was killed` });
        }, hard),
      );
    }
    return timers;
  }

  /** What a flow task receives from its children: the chain's previous result, or the chord header's results in order. */
  private async flowInput(job: Job, data: TaskMessage): Promise<unknown> {
    const values = await job.getChildrenValues();
    const byId = new Map(Object.entries(values).map(([key, value]) => [key.slice(key.lastIndexOf(':') + 1), value as unknown]));
    if (data.input === 'chord') return (data.header ?? []).map((id) => byId.get(id) ?? null);
    return [...byId.values()][0] ?? null;
  }

  // ------------------------------------------------------------------ revoke & policy

  private async subscribe(): Promise<void> {
    const sub = this.conn.duplicate();
    this.subscriber = sub;
    sub.on('error', (err: Error) => this.logger.warn('subscriber error', { error: err.message }));
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.keys.revokeChannel) this.onRevoke(message);
      else if (channel === this.keys.policyChanged && this.queues.includes(message)) {
        void this.refreshPolicy(message)
          .then(() => this.applyPolicy(message))
          .catch((err: Error) => this.logger.warn('policy refresh failed', { queue: message, error: err.message }));
      }
    });
    sub.on('ready', () => {
      // after a reconnect, catch up on revokes published while we were away
      void this.reloadRevoked().catch(() => undefined);
    });
    await sub.subscribe(this.keys.revokeChannel, this.keys.policyChanged);
  }

  private onRevoke(message: string): void {
    let parsed: { id?: unknown; terminate?: unknown };
    try {
      parsed = JSON.parse(message) as { id?: unknown; terminate?: unknown };
    } catch {
      return;
    }
    if (typeof parsed.id !== 'string') return;
    const id = parsed.id;
    this.revoked.add(id);
    const run = this.active.get(id);
    const ticket = run?.ticket;
    if (!run || !ticket || !this.pool) return;
    const pool = this.pool;
    if (ticket.sandbox === undefined) {
      // taken from the queue (prefetched) but not started: discard it
      run.revoking = true;
      pool.abort(ticket, { name: TaskErrorNames.revoked, message: `task ${id} was revoked before it started` });
      return;
    }
    if (parsed.terminate !== true) return;
    run.revoking = true;
    this.logger.info('revoke with terminate: aborting running task', { taskId: id, task: run.name, queue: run.queue });
    const reason = { name: TaskErrorNames.revoked, message: `task ${id} was revoked with terminate` };
    pool.abort(ticket, reason);
    setTimeout(() => {
      if (this.active.get(id) === run) void pool.kill(ticket, reason);
    }, this.options.revokeGraceMs ?? 1000);
  }

  private async reloadRevoked(): Promise<void> {
    const ids = await this.conn.zrangebyscore(this.keys.revoked, Date.now() - REVOKE_RETENTION_MS, '+inf');
    for (const id of ids) this.revoked.add(id);
  }

  private async refreshPolicy(queueName: string): Promise<void> {
    const raw = await this.conn.get(this.keys.policy(queueName));
    let json: unknown;
    if (raw !== null) {
      try {
        json = JSON.parse(raw);
      } catch (err) {
        this.logger.warn('queue policy is not JSON; using defaults', { queue: queueName, error: (err as Error).message });
      }
    }
    this.policies.set(queueName, readQueuePolicy(json));
    if (raw === null) this.appliedPolicy.delete(queueName);
  }

  /** Applies paused, queue-wide concurrency and rate limit of a queue's policy (only when the policy key exists). */
  private async applyPolicy(queueName: string): Promise<void> {
    const policy = this.policies.get(queueName);
    const worker = this.bullWorkers.get(queueName);
    const queue = this.bullQueues.get(queueName);
    if (!policy || !worker || !queue || this.draining) return;
    if (policy.paused && !worker.isPaused()) {
      this.logger.info('queue paused by policy', { queue: queueName });
      void worker.pause(true);
    } else if (!policy.paused && worker.isPaused()) {
      this.logger.info('queue resumed by policy', { queue: queueName });
      worker.resume();
    }
    const hasPolicyKey = (await this.conn.exists(this.keys.policy(queueName))) === 1;
    if (!hasPolicyKey) return;
    const wanted = JSON.stringify({ c: policy.concurrency ?? null, r: policy.rateLimit ?? null });
    if (this.appliedPolicy.get(queueName) === wanted) return;
    if (policy.concurrency !== undefined) await queue.setGlobalConcurrency(policy.concurrency);
    else await queue.removeGlobalConcurrency();
    if (policy.rateLimit) await queue.setGlobalRateLimit(policy.rateLimit.max, policy.rateLimit.duration);
    else await queue.removeGlobalRateLimit();
    this.appliedPolicy.set(queueName, wanted);
  }

  /**
   * Removes results past the queue's resultTTL / failedTTL. BullMQ prunes by age only when another
   * task of the queue finishes; this also covers queues that went quiet.
   */
  private async expireResults(): Promise<void> {
    for (const [name, queue] of this.bullQueues) {
      const policy = this.policies.get(name) ?? readQueuePolicy(undefined);
      await queue.clean(policy.resultTTL, 1000, 'completed');
      await queue.clean(policy.failedTTL, 1000, 'failed');
    }
  }

  // ------------------------------------------------------------------ registry, counters, shutdown

  private async heartbeat(): Promise<void> {
    const now = Date.now();
    const info = {
      id: this.id,
      pool: this.options.pool,
      pod: this.options.podName ?? hostname(),
      namespace: this.options.podNamespace,
      pid: process.pid,
      queues: this.queues,
      concurrency: this.concurrency,
      active: this.activeTaskIds(),
      startedAt: this.startedAt,
      heartbeatAt: now,
      draining: this.draining,
    };
    await this.conn
      .multi()
      .set(this.keys.worker(this.id), JSON.stringify(info), 'EX', 30)
      .zadd(this.keys.workers, now, this.id)
      .zremrangebyscore(this.keys.workers, '-inf', now - 120_000)
      .exec();
  }

  /** Effective options of a task without enqueue overrides, cached until the queue policy changes. */
  private defaultOptions(queueName: string, task: SandboxTaskInfo, policy: QueuePolicyView): EffectiveTaskOptions {
    const key = `${queueName}\u0000${task.name}`;
    const cached = this.optionsCache.get(key);
    if (cached && cached.policy === policy) return cached.opts;
    const opts = effectiveTaskOptions(undefined, task.options as TaskOptions | undefined, policy);
    this.optionsCache.set(key, { policy, opts });
    return opts;
  }

  private recordDuration(name: string, ms: number): void {
    const d = this.durations.get(name);
    if (!d) this.durations.set(name, { avgMs: ms, n: 1 });
    else {
      d.avgMs = d.avgMs * 0.8 + ms * 0.2;
      d.n += 1;
    }
  }

  private countFinished(queueName: string): void {
    this.finishedPerQueue.set(queueName, (this.finishedPerQueue.get(queueName) ?? 0) + 1);
  }

  private async flushThroughput(): Promise<void> {
    if (this.finishedPerQueue.size === 0) return;
    const minute = Math.floor(Date.now() / 60_000);
    const multi = this.conn.multi();
    for (const [queueName, n] of this.finishedPerQueue) {
      const key = this.keys.rate(queueName, minute);
      multi.incrby(key, n).expire(key, 7200);
    }
    this.finishedPerQueue.clear();
    await multi.exec();
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const t = setInterval(() => {
      fn().catch((err: Error) => this.logger.warn('periodic work failed', { error: err.message }));
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private async shutdown(): Promise<void> {
    this.draining = true;
    const active = this.activeTaskIds();
    if (this.running) this.logger.info('draining: no new tasks; waiting for running ones', { active: active.length });
    for (const t of this.timers) clearInterval(t);
    this.pool?.handBackWaiting();
    await Promise.all([...this.bullWorkers.values()].map((w) => w.close().catch((err: Error) => this.logger.warn('worker close failed', { error: err.message }))));
    await this.flushThroughput().catch(() => undefined);
    if (this.conn.status === 'ready') {
      await this.conn.multi().del(this.keys.worker(this.id)).zrem(this.keys.workers, this.id).exec().catch(() => undefined);
    }
    await this.pool?.close();
    await Promise.all([...this.bullQueues.values(), ...this.deadQueues.values()].map((q) => q.close().catch(() => undefined)));
    this.subscriber?.disconnect();
    this.conn.disconnect();
    if (this.server) await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.running = false;
    this.logger.info('worker stopped', { drained: active.length });
  }
}

function isTaskMessage(data: unknown): data is TaskMessage {
  const d = data as Partial<TaskMessage> | undefined;
  return (
    typeof d === 'object' && d !== null && typeof d.name === 'string' && Array.isArray(d.args) &&
    typeof d.kwargs === 'object' && d.kwargs !== null && !Array.isArray(d.kwargs)
  );
}

/** A final failure BullMQ will not retry; the stack keeps the task's own error name first. */
function unrecoverable(error: TaskError): UnrecoverableError {
  const err = new UnrecoverableError(error.message);
  err.stack = error.stack && error.stack.startsWith(error.name) ? error.stack : `${error.name}: ${error.message}${error.stack ? `\n${error.stack}` : ''}`;
  return err;
}
