import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger, Schedule, TaskQueue, WorkerPool } from '@taskyard/api';
import { systemClock, type Clock } from './clock/clock.js';
import type { OperatorConfig } from './config/operator-config.js';
import type { ControllerContext, Stored } from './controllers/controller-context.js';
import { ScheduleReconciler } from './controllers/schedule/reconcile-schedule.js';
import { reconcileTaskQueue } from './controllers/task-queue/reconcile-task-queue.js';
import { WorkerPoolReconciler } from './controllers/worker-pool/reconcile-worker-pool.js';
import type { CronJobView, DeploymentView, PodView } from './kube/child-views.js';
import { ChangeFilter } from './kube/change-filter.js';
import { EventRecorder } from './kube/event-recorder.js';
import { Informer } from './kube/informer.js';
import { keepOnly } from './kube/keep-only.js';
import { KubeClient } from './kube/kube-client.js';
import { objectKey, splitKey, type KubeObject } from './kube/kube-object.js';
import { Resources } from './kube/resource-paths.js';
import { LeaseElector } from './leader/lease-elector.js';
import { HealthServer } from './observability/health-server.js';
import { operatorLogger } from './observability/operator-logger.js';
import { OperatorMetrics } from './observability/operator-metrics.js';
import { RedisConnections } from './redis/redis-connections.js';
import { MANAGED_BY, OperatorLabels } from './render/operator-labels.js';
import type { ReconcileResult } from './work-queue/reconcile-result.js';
import { WorkQueue } from './work-queue/work-queue.js';

type Kind = 'TaskQueue' | 'WorkerPool' | 'Schedule';

/**
 * The operator process: health server, leader election, and - while leading - informers for the three kinds and
 * their children feeding one work queue per kind. Work starts only once every cache has synced, so no reconcile
 * acts on a half-filled cache (e.g. scaling a pool down because its Deployment was not listed yet).
 */
export class OperatorManager {
  readonly config: OperatorConfig;
  readonly log: Logger;
  readonly metrics = new OperatorMetrics();
  readonly client: KubeClient;
  readonly #redis = new RedisConnections();
  readonly #health: HealthServer;
  readonly #elector: LeaseElector | undefined;
  readonly #clock: Clock;
  #ctx: ControllerContext | undefined;
  #queues: Map<Kind, WorkQueue> | undefined;
  #synced = false;
  #stopping = false;
  /** Called when leadership is lost; the bin exits so a fresh process campaigns again. */
  onLostLeadership: () => void = () => undefined;

  constructor(config: OperatorConfig, kc: KubeConfig, log: Logger = operatorLogger(config.logLevel), clock: Clock = systemClock) {
    this.config = config;
    this.#clock = clock;
    this.log = log;
    this.client = new KubeClient(kc);
    this.#health = new HealthServer(this.metrics.registry, () => {
      if (this.#stopping) return { ready: false, detail: 'stopping' };
      if (this.#elector && !this.#elector.isLeader) return { ready: true, detail: 'standby: waiting for the leader Lease' };
      return this.#synced ? { ready: true, detail: 'leader: caches synced' } : { ready: false, detail: 'leader: caches syncing' };
    });
    if (config.leaderElect) {
      this.#elector = new LeaseElector(this.client, log, {
        namespace: config.leaseNamespace,
        name: config.leaseName,
        identity: config.identity,
        leaseDurationSeconds: config.leaseDurationSeconds,
        renewDeadlineSeconds: config.leaseRenewDeadlineSeconds,
        retryPeriodSeconds: config.leaseRetrySeconds,
      });
    }
  }

  /** True once this replica leads and its caches are synced. */
  get active(): boolean {
    return this.#synced;
  }

  get isLeader(): boolean {
    return this.#elector ? this.#elector.isLeader : true;
  }

  /** Starts serving health and campaigning; controllers run while this replica leads. Resolves with the HTTP port. */
  async start(): Promise<number> {
    const port = await this.#health.listen(this.config.httpPort);
    this.log.info('operator starting', { identity: this.config.identity, httpPort: port, watchNamespace: this.config.watchNamespace ?? '(all)', leaderElect: this.config.leaderElect });
    if (this.#elector) {
      this.#elector.on('started', () => {
        this.metrics.leader.set(1);
        void this.#startControllers().catch((error: unknown) => this.log.error('controllers failed to start', { error }));
      });
      this.#elector.on('stopped', () => {
        this.metrics.leader.set(0);
        this.onLostLeadership();
      });
      this.#elector.start();
    } else {
      this.metrics.leader.set(1);
      await this.#startControllers();
    }
    return port;
  }

  /** Stops work (running reconciles finish), releases the Lease, closes watches and connections. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    await Promise.all([...(this.#queues?.values() ?? [])].map((q) => q.shutdown()));
    await this.#ctx?.events.flush();
    await this.#elector?.stop();
    if (this.#ctx) await Promise.all(Object.values(this.#ctx.informers).map((i: { stop(): Promise<void> }) => i.stop()));
    await this.#redis.close();
    this.client.close();
    await this.#health.close();
    this.log.info('operator stopped');
  }

  async #startControllers(): Promise<void> {
    if (this.#ctx || this.#stopping) return;
    const ns = this.config.watchNamespace;
    const childSelector = `${OperatorLabels.managedBy}=${MANAGED_BY}`;
    const log = this.log;
    const ctx: ControllerContext = {
      config: this.config,
      client: this.client,
      redis: this.#redis,
      events: new EventRecorder(this.client, log, 'taskyard-operator', this.config.identity),
      metrics: this.metrics,
      log,
      clock: this.#clock,
      informers: {
        taskQueues: new Informer<Stored<TaskQueue>>(this.client, Resources.taskQueue, log, { namespace: ns }),
        workerPools: new Informer<Stored<WorkerPool>>(this.client, Resources.workerPool, log, { namespace: ns }),
        schedules: new Informer<Stored<Schedule>>(this.client, Resources.schedule, log, { namespace: ns }),
        // Children: only what the reconcilers read is cached (replicas and status; schedule and status).
        deployments: new Informer<DeploymentView>(this.client, Resources.deployment, log, { namespace: ns, labelSelector: childSelector, trim: keepOnly(['spec.replicas']) }),
        cronJobs: new Informer<CronJobView>(this.client, Resources.cronJob, log, { namespace: ns, labelSelector: childSelector, trim: keepOnly(['spec.schedule', 'spec.suspend']) }),
        pods: new Informer<PodView>(this.client, Resources.pod, log, { namespace: ns, labelSelector: OperatorLabels.workerPool, trim: keepOnly(['status.phase']) }),
      },
    };
    this.#ctx = ctx;
    const pools = new WorkerPoolReconciler(ctx);
    const schedules = new ScheduleReconciler(ctx);
    const handlers: Record<Kind, (namespace: string, name: string) => Promise<ReconcileResult>> = {
      TaskQueue: (namespace, name) => reconcileTaskQueue(ctx, namespace, name),
      WorkerPool: (namespace, name) => pools.reconcile(namespace, name),
      Schedule: (namespace, name) => schedules.reconcile(namespace, name),
    };
    const queues = new Map<Kind, WorkQueue>();
    for (const kind of Object.keys(handlers) as Kind[]) {
      const queue = new WorkQueue((key) => this.#timed(kind, key, handlers[kind]), { concurrency: this.config.reconcileConcurrency });
      queue.onError((key, error, retryInMs) => {
        this.metrics.reconcileErrors.inc({ kind });
        log.warn('reconcile failed; retrying', { kind, key, retryInMs, error });
      });
      queues.set(kind, queue);
    }
    this.#queues = queues;
    this.metrics.workQueueDepth.reset();
    const depthTimer = setInterval(() => {
      for (const [kind, queue] of queues) this.metrics.workQueueDepth.set({ kind }, queue.length + queue.running);
    }, 250);
    depthTimer.unref();
    const enqueue = (kind: Kind, key: string, first = false) => {
      if (this.#synced) queues.get(kind)?.add(key, first);
    };
    const { informers } = ctx;
    // Primary objects: spec (generation), deletion and finalizers matter; status writes (ours) do not.
    const primary = (obj: KubeObject) => ({
      generation: obj.metadata?.generation,
      deletion: obj.metadata?.deletionTimestamp,
      finalizers: obj.metadata?.finalizers,
    });
    const queueFilter = new ChangeFilter<KubeObject>(primary);
    const poolFilter = new ChangeFilter<KubeObject>(primary);
    const scheduleFilter = new ChangeFilter<KubeObject>(primary);
    const deploymentFilter = new ChangeFilter<DeploymentView>((d) => ({
      generation: d.metadata?.generation,
      hash: d.metadata?.annotations?.[OperatorLabels.specHash],
      replicas: d.spec?.replicas,
      status: [d.status?.observedGeneration, d.status?.replicas, d.status?.readyReplicas, d.status?.updatedReplicas],
    }));
    const cronJobFilter = new ChangeFilter<CronJobView>((c) => ({
      hash: c.metadata?.annotations?.[OperatorLabels.specHash],
      last: c.status?.lastScheduleTime,
      schedule: c.spec?.schedule,
      suspend: c.spec?.suspend,
    }));
    informers.taskQueues.on((obj, event) => {
      const key = objectKey(obj);
      if (!queueFilter.passes(key, obj, event)) return;
      if (event === 'delete') queues.get('TaskQueue')?.forget(key);
      enqueue('TaskQueue', key);
      // Pools and schedules read their queue's Redis and limits: they follow its changes.
      const { namespace = '', name = '' } = obj.metadata ?? {};
      for (const pool of informers.workerPools.list(namespace)) if (pool.spec?.queues?.includes(name)) enqueue('WorkerPool', objectKey(pool));
      for (const s of informers.schedules.list(namespace)) if (s.spec?.queue === name) enqueue('Schedule', objectKey(s));
    });
    informers.workerPools.on((obj, event) => {
      const key = objectKey(obj);
      if (!poolFilter.passes(key, obj, event)) return;
      if (event === 'add') {
        enqueue('WorkerPool', key, true);
        return;
      }
      if (event === 'delete') {
        queues.get('WorkerPool')?.forget(key);
        pools.forget(key);
      }
      enqueue('WorkerPool', key);
    });
    informers.schedules.on((obj, event) => {
      if (!scheduleFilter.passes(objectKey(obj), obj, event)) return;
      if (event === 'add') {
        enqueue('Schedule', objectKey(obj), true);
        return;
      }
      if (event === 'delete') queues.get('Schedule')?.forget(objectKey(obj));
      enqueue('Schedule', objectKey(obj));
    });
    const toOwner = (kind: Kind) => (obj: KubeObject) => {
      const owner = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind);
      if (owner) enqueue(kind, `${obj.metadata?.namespace ?? ''}/${owner.name}`);
    };
    informers.deployments.on((obj, event) => {
      if (deploymentFilter.passes(objectKey(obj), obj, event)) toOwner('WorkerPool')(obj);
    });
    informers.cronJobs.on((obj, event) => {
      if (cronJobFilter.passes(objectKey(obj), obj, event)) toOwner('Schedule')(obj);
    });

    const started = this.#clock.now();
    await Promise.all(Object.values(informers).map((i: { start(): Promise<void> }) => i.start()));
    if (this.#stopping) return;
    this.#synced = true;
    log.info('caches synced; reconciling', { ms: this.#clock.now() - started, taskQueues: informers.taskQueues.list().length, workerPools: informers.workerPools.list().length, schedules: informers.schedules.list().length });
    for (const o of informers.taskQueues.list()) enqueue('TaskQueue', objectKey(o));
    for (const o of informers.workerPools.list()) enqueue('WorkerPool', objectKey(o));
    for (const o of informers.schedules.list()) enqueue('Schedule', objectKey(o));
  }

  async #timed(kind: Kind, key: string, handler: (namespace: string, name: string) => Promise<ReconcileResult>): Promise<ReconcileResult> {
    const end = this.metrics.reconcileDuration.startTimer({ kind });
    const { namespace, name } = splitKey(key);
    try {
      const result = await handler(namespace, name);
      this.metrics.reconciles.inc({ kind, result: 'success' });
      this.log.debug('reconciled', { kind, namespace, name, requeueAfterMs: result.requeueAfterMs });
      return result;
    } catch (error) {
      this.metrics.reconciles.inc({ kind, result: 'error' });
      throw error;
    } finally {
      end();
    }
  }
}
