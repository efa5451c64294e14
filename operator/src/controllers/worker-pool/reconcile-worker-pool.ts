import { formatValidationError, parseDuration, workerPoolSchema, type WorkerPool, type WorkerPoolStatus } from '@taskyard/api';
import { liveWorkers, taskyardKeys } from '@taskyard/api/wire';
import { decideReplicas, type AutoscaleMemory, type ScaleDecision } from '../../autoscale/decide-replicas.js';
import type { DeploymentView } from '../../kube/child-views.js';
import { objectPath, Resources } from '../../kube/resource-paths.js';
import { FIELD_MANAGER, OperatorLabels } from '../../render/operator-labels.js';
import { renderWorkerDeployment, workerDeploymentName } from '../../render/render-worker-deployment.js';
import type { ConditionInput } from '../../status/set-condition.js';
import { writeStatus } from '../../status/write-status.js';
import type { ReconcileResult } from '../../work-queue/reconcile-result.js';
import type { ControllerContext } from '../controller-context.js';
import type { RedisUrlSource } from '../../render/redis-url-source.js';
import { queueRedisPodSource, queueRedisUrl } from '../resolve-queue-redis.js';
import { deletionCosts } from './deletion-costs.js';
import { poolBacklog } from './pool-backlog.js';
import { poolRequeueAfterMs, resyncDue } from './pool-timing.js';
import { BullQueueDepthSource } from './queue-depth-source.js';

/** Per-pool memory kept between reconciles (lost on restart, which the decision function tolerates). */
interface PoolMemory {
  autoscale: AutoscaleMemory;
  /** When the Deployment was last applied in full (a periodic re-apply repairs hand edits). */
  lastApplyAt: number;
  /** metadata.generation of the Deployment after our last apply: a different one means someone else edited it. */
  appliedGeneration?: number;
  /** Replicas last applied: fresher than the Deployment cache, which lags our own writes. */
  lastDesired?: number;
  lastScaleTime?: string;
  lastScaleReason?: string;
}

/**
 * WorkerPool → Deployment. Reads the pool and its TaskQueues from the caches, decides the replica count (fixed,
 * or the autoscaler's decision from the queues' depth), marks busy pods with a higher pod-deletion-cost before
 * a scale-down, applies the Deployment (server-side apply, skipped when the cached one already matches), and
 * writes status. Autoscaled pools run again every pollSeconds.
 */
export class WorkerPoolReconciler {
  readonly #ctx: ControllerContext;
  readonly #memory = new Map<string, PoolMemory>();

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
  }

  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    const ctx = this.#ctx;
    const key = `${namespace}/${name}`;
    const now = ctx.clock.now();
    const stored = ctx.informers.workerPools.get(namespace, name);
    if (!stored || stored.metadata.deletionTimestamp) {
      // Children go with the pool through their owner reference (garbage collector).
      this.#memory.delete(key);
      ctx.metrics.desiredReplicas.remove({ namespace, pool: name });
      ctx.metrics.actualReplicas.remove({ namespace, pool: name });
      return {};
    }
    const parsed = workerPoolSchema.safeParse(stored);
    if (!parsed.success) {
      const message = formatValidationError(parsed.error, `WorkerPool ${key}`);
      await writeStatus(this.#ctx, Resources.workerPool, stored, { ...stored.status }, [
        { type: 'Ready', status: 'False', reason: 'InvalidSpec', message },
        { type: 'Degraded', status: 'True', reason: 'InvalidSpec', message },
      ]);
      return {};
    }
    const pool: WorkerPool = parsed.data;
    const problems: { reason: string; message: string }[] = [];

    // The pool's queues, as TaskQueues: their Redis and their hard time limits.
    const queues = pool.spec.queues.map((q) => ({ name: q, object: ctx.informers.taskQueues.get(namespace, q) }));
    const missing = queues.filter((q) => !q.object).map((q) => q.name);
    if (missing.length > 0) {
      problems.push({ reason: 'QueueNotFound', message: `spec.queues: no TaskQueue ${missing.join(', ')} in ${namespace}; create it or fix the name` });
    }
    const redisSpecs = queues.map((q) => JSON.stringify(q.object?.spec?.redis ?? null));
    if (new Set(redisSpecs).size > 1) {
      problems.push({ reason: 'QueuesOnDifferentRedis', message: `spec.queues: the queues use different Redis connections; a pool reads one (the first queue's, ${pool.spec.queues[0]})` });
    }
    const hardLimits = queues.flatMap((q) => {
      const hard = q.object?.spec?.defaults?.timeLimit?.hard;
      return hard ? [parseDuration(hard)] : [];
    });
    const firstRedis = queues[0]?.object?.spec?.redis;
    let podSource: RedisUrlSource | undefined;
    try {
      podSource = queueRedisPodSource(firstRedis, ctx.config);
    } catch (error) {
      problems.push({ reason: 'RedisNotConfigured', message: error instanceof Error ? error.message : String(error) });
    }

    const deploymentName = workerDeploymentName(name);
    const deployment = ctx.informers.deployments.get(namespace, deploymentName);
    const memory = this.#memory.get(key) ?? { autoscale: {}, lastApplyAt: 0 };
    this.#memory.set(key, memory);

    // Desired replicas.
    const autoscaling = pool.spec.autoscaling;
    const current = memory.lastDesired ?? deployment?.spec?.replicas ?? (autoscaling ? autoscaling.minReplicas : (pool.spec.replicas ?? 1));
    let replicas = pool.spec.replicas ?? 1;
    let decision: ScaleDecision | undefined;
    if (autoscaling) {
      replicas = current;
      if (podSource) {
        try {
          const url = await queueRedisUrl(ctx.client, namespace, firstRedis, ctx.config);
          // Depth per (namespace, queue): a queue of the same name in another namespace is another queue.
          const source = new BullQueueDepthSource((ref) => ctx.redis.queue(url, ctx.config.prefix, ref));
          const backlog = await poolBacklog(
            source,
            queues.filter((q) => q.object).map((q) => ({ ref: { namespace, name: q.name }, paused: q.object?.spec?.paused === true })),
          );
          decision = decideReplicas({ policy: autoscaling, backlog, currentReplicas: current, now, memory: memory.autoscale });
          memory.autoscale = decision.memory;
          replicas = decision.replicas;
          if (replicas < current && deployment) await this.#markBusyPods(namespace, name, url);
        } catch (error) {
          problems.push({ reason: 'RedisUnavailable', message: `cannot read queue depth, keeping ${current} replicas: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    }

    // The Deployment.
    let changed: 'created' | 'updated' | undefined;
    if (podSource) {
      const desired = renderWorkerDeployment({
        pool,
        replicas,
        runtimeImage: ctx.config.runtimeImage,
        prefix: ctx.config.prefix,
        redisUrl: podSource,
        queueHardLimitsMs: hardLimits,
      });
      const hash = desired.metadata?.annotations?.[OperatorLabels.specHash];
      const upToDate =
        deployment !== undefined &&
        deployment.metadata?.annotations?.[OperatorLabels.specHash] === hash &&
        deployment.spec?.replicas === replicas &&
        (memory.appliedGeneration === undefined || (deployment.metadata?.generation ?? 0) <= memory.appliedGeneration) &&
        !resyncDue(memory.lastApplyAt, now);
      if (!upToDate) {
        const before = deployment?.metadata?.resourceVersion;
        const applied = await ctx.client.apply<DeploymentView>(objectPath(Resources.deployment, namespace, deploymentName), desired, FIELD_MANAGER);
        memory.lastApplyAt = now;
        memory.appliedGeneration = applied.metadata?.generation;
        if (!deployment) changed = 'created';
        else if (applied.metadata?.resourceVersion !== before) changed = 'updated';
      }
    }
    if (changed === 'created') await ctx.events.record(stored, 'Normal', 'DeploymentCreated', `created Deployment ${deploymentName} with ${replicas} replicas`);
    else if (changed === 'updated' && replicas === current) await ctx.events.record(stored, 'Normal', 'DeploymentUpdated', `updated Deployment ${deploymentName}`);
    const scaled = (memory.lastDesired ?? stored.status?.desiredReplicas) !== replicas;
    if (replicas !== current && deployment) {
      await ctx.events.record(stored, 'Normal', decision?.reason ?? 'Scaled', `scaled ${deploymentName} from ${current} to ${replicas}: ${decision?.message ?? 'spec.replicas changed'}`);
    }
    ctx.metrics.desiredReplicas.set({ namespace, pool: name }, replicas);
    ctx.metrics.actualReplicas.set({ namespace, pool: name }, deployment?.status?.replicas ?? 0);

    // Status.
    const previous = stored.status ?? {};
    const status: WorkerPoolStatus = {
      replicas: deployment?.status?.replicas ?? 0,
      readyReplicas: deployment?.status?.readyReplicas ?? 0,
      desiredReplicas: replicas,
    };
    if (scaled && podSource) {
      memory.lastScaleTime = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      memory.lastScaleReason = decision ? `${decision.reason}: ${decision.message}` : `fixed: spec.replicas ${replicas}`;
    }
    if (podSource) memory.lastDesired = replicas;
    const lastScaleTime = memory.lastScaleTime ?? previous.lastScaleTime;
    const lastScaleReason = memory.lastScaleReason ?? previous.lastScaleReason;
    if (lastScaleTime) status.lastScaleTime = lastScaleTime;
    if (lastScaleReason) status.lastScaleReason = lastScaleReason;
    if (decision) status.backlog = decision.backlog;
    else if (previous.backlog !== undefined && autoscaling) status.backlog = previous.backlog;

    const ready = (deployment?.status?.readyReplicas ?? 0) >= replicas && deployment !== undefined;
    const rolling =
      deployment === undefined ||
      (deployment.status?.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0) ||
      (deployment.status?.updatedReplicas ?? 0) < replicas ||
      changed !== undefined;
    const conditions: ConditionInput[] = [
      ready
        ? { type: 'Ready', status: 'True', reason: 'Available', message: `${replicas} of ${replicas} replicas ready` }
        : { type: 'Ready', status: 'False', reason: 'WaitingForPods', message: `${deployment?.status?.readyReplicas ?? 0} of ${replicas} replicas ready` },
      rolling
        ? { type: 'Progressing', status: 'True', reason: 'RollingOut', message: `Deployment ${deploymentName} is being updated or scaled` }
        : { type: 'Progressing', status: 'False', reason: 'Stable', message: `Deployment ${deploymentName} is up to date` },
      problems.length > 0
        ? { type: 'Degraded', status: 'True', reason: problems[0]?.reason ?? 'Problem', message: problems.map((p) => p.message).join('; ') }
        : { type: 'Degraded', status: 'False', reason: 'Healthy', message: 'queues found, Redis reachable' },
    ];
    const wasDegraded = previous.conditions?.find((c) => c.type === 'Degraded');
    if (problems.length > 0 && (wasDegraded?.status !== 'True' || wasDegraded.reason !== problems[0]?.reason)) {
      await ctx.events.record(stored, 'Warning', problems[0]?.reason ?? 'Problem', problems.map((p) => p.message).join('; '));
    }
    await writeStatus(this.#ctx, Resources.workerPool, stored, status, conditions);

    const requeueAfterMs = poolRequeueAfterMs(autoscaling, replicas, problems.length > 0);
    return requeueAfterMs === undefined ? {} : { requeueAfterMs };
  }

  /** Forgets a pool's memory (its object is gone). */
  forget(key: string): void {
    this.#memory.delete(key);
  }

  /** Sets pod-deletion-cost on the pool's pods from the worker registry: busy pods go last on scale-down. */
  async #markBusyPods(namespace: string, pool: string, redisUrl: string): Promise<void> {
    const ctx = this.#ctx;
    const pods = ctx.informers.pods.list(namespace).filter((p) => p.metadata?.labels?.[OperatorLabels.workerPool] === pool && !p.metadata?.deletionTimestamp);
    if (pods.length === 0) return;
    const workers = await liveWorkers(ctx.redis.connection(redisUrl), taskyardKeys(ctx.config.prefix), namespace, ctx.clock.now());
    const active = new Map<string, number>();
    for (const w of workers) {
      if (w.pool === pool) active.set(w.pod, (active.get(w.pod) ?? 0) + w.active.length);
    }
    const costs = deletionCosts(pods.map((p) => p.metadata?.name ?? ''), active);
    await Promise.all(
      pods.map(async (pod) => {
        const podName = pod.metadata?.name ?? '';
        const cost = String(costs.get(podName) ?? 0);
        if (pod.metadata?.annotations?.[OperatorLabels.podDeletionCost] === cost) return;
        try {
          await ctx.client.mergePatch(objectPath(Resources.pod, namespace, podName), { metadata: { annotations: { [OperatorLabels.podDeletionCost]: cost } } }, FIELD_MANAGER);
        } catch (error) {
          ctx.log.warn('could not set pod-deletion-cost', { namespace, pod: podName, error });
        }
      }),
    );
  }

}

