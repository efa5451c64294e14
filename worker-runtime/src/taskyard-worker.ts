import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { DEFAULT_PREFIX, RuntimeEnv, namespaceFromEnv } from '@taskyard/api';
import { bullQueueName, checkQueueRef, connectRedis, maskRedisUrl, taskyardKeys, type QueuePolicyView, type QueueRef, type RedisConnection, type TaskyardKeys } from '@taskyard/api/wire';
import { backoffDelay } from './backoff-delay.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import { letProcessorHandleDeferredFailures } from './deferred-failure.js';
import { listenHealth } from './listen-health.js';
import { createLogger, type JsonLogger } from './json-logger.js';
import { loadBundleEntry } from './load-bundle-entry.js';
import { PolicyFollower } from './policy-follower.js';
import { RegistryHeartbeat } from './registry-heartbeat.js';
import { RetentionSweeper } from './retention-sweeper.js';
import { RevokeListener } from './revoke-listener.js';
import { RuntimeMetrics } from './runtime-metrics.js';
import type { SandboxTaskInfo } from './sandbox.js';
import { SandboxPool } from './sandbox-pool.js';
import { TaskRunner, type ActiveRun, type RetryingError } from './task-runner.js';
import { ThroughputCounter } from './throughput-counter.js';
import type { WorkerContext } from './worker-context.js';
import type { WorkerOptions } from './worker-options.js';

/**
 * The worker runtime: consumes queues of one namespace with Celery's semantics, running each task
 * in a sandbox thread. `TaskyardWorker.start(options)` resolves once the bundle is loaded in every
 * sandbox, the HTTP port is bound and the queues are being consumed; `close()` drains (no new
 * tasks, running ones finish) and stops. Each concern lives in its own helper behind a narrow
 * context (worker-context.ts): TaskRunner (one task, limits), RevokeListener, PolicyFollower,
 * RegistryHeartbeat, DeadLetterWriter, RetentionSweeper, ThroughputCounter.
 */
export class TaskyardWorker implements WorkerContext {
  readonly id: string;
  readonly namespace: string;
  readonly metrics = new RuntimeMetrics();
  readonly logger: JsonLogger;
  readonly conn: RedisConnection;
  readonly keys: TaskyardKeys;
  /** The bundle's tasks by name. */
  tasks = new Map<string, SandboxTaskInfo>();
  /** Address of the HTTP server, when started. */
  httpPort: number | undefined;

  private readonly prefix: string;
  private readonly redisUrl: string;
  private readonly queues: string[];
  private readonly concurrency: number;
  private readonly prefetch: number;
  private subscriber: RedisConnection | undefined;
  private pool: SandboxPool | undefined;
  private readonly bullWorkers = new Map<string, Worker>();
  private readonly bullQueues = new Map<string, Queue>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly revokes: RevokeListener;
  private readonly policies: PolicyFollower;
  private readonly registry: RegistryHeartbeat;
  private readonly deadLetters: DeadLetterWriter;
  private readonly retention: RetentionSweeper;
  private readonly throughput: ThroughputCounter;
  private readonly runner: TaskRunner;
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
    this.namespace = options.namespace ?? namespaceFromEnv();
    for (const q of this.queues) {
      try {
        checkQueueRef({ namespace: this.namespace, name: q });
      } catch (err) {
        throw new TypeError(`worker: ${(err as Error).message} (set ${RuntimeEnv.queues} / --queues and ${RuntimeEnv.namespace} / --namespace)`);
      }
    }
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
    this.logger = createLogger(options.logLevel ?? 'info', { worker: this.id, namespace: this.namespace, ...(options.pool ? { pool: options.pool } : {}) }, options.logWrite);
    const url = options.redisUrl ?? process.env[RuntimeEnv.redisUrl] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    this.redisUrl = url;
    this.conn = connectRedis(url, { role: 'worker', lazyConnect: true, connectionName: 'taskyard-worker' });
    this.conn.on('error', (err: Error) => this.logger.warn('redis connection error', { error: err.message, redis: maskRedisUrl(url) }));

    this.revokes = new RevokeListener({ ...this.base(), activeRun: (id) => this.active.get(id), pool: () => this.pool, revokeGraceMs: options.revokeGraceMs ?? 1000 });
    const bull = { bullWorker: (q: string) => this.bullWorkers.get(q), bullQueue: (q: string) => this.bullQueues.get(q) };
    this.policies = new PolicyFollower({ ...this.base(), ...bull }, this.queues);
    this.registry = new RegistryHeartbeat({ ...this.base(), info: () => this.info() });
    this.deadLetters = new DeadLetterWriter(this.base());
    this.retention = new RetentionSweeper({ ...this.base(), ...bull }, this.queues);
    this.throughput = new ThroughputCounter(this.base());
    this.runner = new TaskRunner({
      ...this.base(),
      metrics: this.metrics,
      tasks: this.tasks,
      active: this.active,
      deadLetters: this.deadLetters,
      retention: this.retention,
      throughput: this.throughput,
      softLimitGraceMs: options.softLimitGraceMs ?? 1000,
      pool: () => this.pool as SandboxPool,
      isRevoked: (id) => this.revokes.has(id),
      bullQueue: bull.bullQueue,
    });
  }

  /** Loads the bundle into the sandboxes, binds the HTTP port, then starts consuming. Rejects with BundleError for a bad bundle. */
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

  ref(queue: string): QueueRef {
    return { namespace: this.namespace, name: queue };
  }

  policy(queue: string): QueuePolicyView {
    return this.policies.policy(queue);
  }

  isDraining(): boolean {
    return this.draining;
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

  /** The context every helper shares (a copy of the worker's narrow surface, not the worker itself). */
  private base(): WorkerContext {
    return {
      id: this.id,
      namespace: this.namespace,
      conn: this.conn,
      keys: this.keys,
      logger: this.logger,
      ref: (q) => this.ref(q),
      policy: (q) => this.policy(q),
      isDraining: () => this.draining,
    };
  }

  private async boot(): Promise<void> {
    const entry = await loadBundleEntry(this.options, this.logger);
    this.pool = new SandboxPool(this.concurrency, { entry, logLevel: this.options.logLevel ?? 'info', workerId: this.id });
    for (const t of await this.pool.start()) this.tasks.set(t.name, t);
    this.logger.info('bundle loaded', { bundle: entry, tasks: [...this.tasks.keys()] });
    if (this.options.httpPort !== undefined) {
      // before consuming: a second worker on the machine fails here, having taken no task
      this.server = await listenHealth(this.options.httpPort, this.options.httpHost, this.metrics.registry, () => this.isReady());
      const address = this.server.address();
      this.httpPort = typeof address === 'object' && address ? address.port : this.options.httpPort;
    }

    await this.conn.connect().catch((err: Error) => {
      throw new Error(`worker: cannot reach Redis (${err.message}); check ${RuntimeEnv.redisUrl} / --redis-url`);
    });
    for (const q of this.queues) this.bullQueues.set(q, this.newQueue(q));
    for (const q of this.queues) await this.policies.refresh(q);
    await this.revokes.reload();
    await this.subscribe();

    this.queues.forEach((q, priority) => this.bullWorkers.set(q, this.newBullWorker(q, priority)));
    for (const q of this.queues) await this.policies.apply(q);
    await Promise.all([...this.bullWorkers.values()].map((w) => w.waitUntilReady()));
    this.running = true;

    await this.registry.beat();
    this.every(this.options.heartbeatMs ?? 10_000, () => this.registry.beat());
    this.every(5_000, () => this.throughput.flush());
    this.every(this.options.retentionSweepMs ?? 5_000, () => this.retention.sweep());
    this.every(this.options.resyncMs ?? 30_000, async () => {
      await this.revokes.reload();
      await this.policies.refreshAll();
    });
    this.logger.info('worker started', { queues: this.queues, namespace: this.namespace, concurrency: this.concurrency, prefix: this.prefix, httpPort: this.httpPort });
  }

  private info() {
    return {
      id: this.id,
      ...(this.options.pool ? { pool: this.options.pool } : {}),
      pod: this.options.podName ?? hostname(),
      namespace: this.namespace,
      pid: process.pid,
      queues: this.queues,
      tasks: [...this.tasks.keys()],
      concurrency: this.concurrency,
      active: this.activeTaskIds(),
      startedAt: this.startedAt,
      draining: this.draining,
    };
  }

  private async subscribe(): Promise<void> {
    const sub = connectRedis(this.redisUrl, { role: 'worker', connectionName: 'taskyard-worker-sub' });
    this.subscriber = sub;
    sub.on('error', (err: Error) => this.logger.warn('subscriber error', { error: err.message }));
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.revokes.channel) this.revokes.onMessage(message);
      else if (channel === this.policies.channel) this.policies.onMessage(message);
    });
    // after a reconnect, catch up on revokes published while we were away
    sub.on('ready', () => void this.revokes.reload().catch(() => undefined));
    await sub.subscribe(this.revokes.channel, this.policies.channel);
  }

  private newQueue(name: string): Queue {
    const q = new Queue(bullQueueName(this.ref(name)), { connection: this.conn, prefix: this.prefix });
    q.on('error', (err: Error) => this.logger.warn('queue error', { queue: name, error: err.message }));
    return q;
  }

  private newBullWorker(queue: string, priority: number): Worker {
    const worker = new Worker(bullQueueName(this.ref(queue)), (job: Job, token?: string) => this.runner.process(job, queue, priority, token), {
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
    letProcessorHandleDeferredFailures(worker);
    worker.on('error', (err: Error) => this.logger.warn('worker error', { queue, error: err.message }));
    return worker;
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
    await this.throughput.flush().catch(() => undefined);
    if (this.conn.status === 'ready') await this.registry.remove().catch(() => undefined);
    await this.pool?.close();
    await Promise.all([...this.bullQueues.values()].map((q) => q.close().catch(() => undefined)));
    await this.deadLetters.close();
    this.subscriber?.disconnect();
    this.conn.disconnect();
    if (this.server) await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.running = false;
    this.logger.info('worker stopped', { drained: active.length });
  }
}
