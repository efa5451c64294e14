import { formatValidationError, resolveQueuePolicy, taskQueueSchema, type TaskQueue, type TaskQueueStatus } from '@taskyard/api';
import { bullDeadQueueName, bullQueueName, liveWorkers, removeQueuePolicy, taskyardKeys, type QueueRef } from '@taskyard/api/wire';
import { objectPath, Resources } from '../../kube/resource-paths.js';
import { readQueueCounts } from '../../redis/queue-counts.js';
import { applyQueueSettings } from '../../redis/apply-queue-settings.js';
import { writeStatus } from '../../status/write-status.js';
import type { ReconcileResult } from '../../work-queue/reconcile-result.js';
import type { ControllerContext, Stored } from '../controller-context.js';
import { REDIS_DATA_FINALIZER, setFinalizer } from '../finalizers.js';
import { queueRedisUrl } from '../resolve-queue-redis.js';

/**
 * TaskQueue → Redis. Level-based: reads the object, makes the queue's Redis settings match its spec (recorded
 * in its namespace's queue set, pause, global concurrency, rate limit, published policy), keeps the finalizer
 * iff deletionPolicy is Delete, writes status (counts, workers, throughput, conditions) and asks to run again
 * after the status refresh period. The queue is `{namespace, name}` of the object (api/src/wire/keys.ts), so
 * equal names in two namespaces never share a key. Deleting with deletionPolicy Delete obliterates the queue
 * and its dead-letter queue, deletes the policy key and takes the queue out of the namespace's queue set.
 */
export async function reconcileTaskQueue(ctx: ControllerContext, namespace: string, name: string): Promise<ReconcileResult> {
  const stored = ctx.informers.taskQueues.get(namespace, name);
  if (!stored) {
    for (const state of ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed', 'dead']) {
      ctx.metrics.queueDepth.remove({ namespace, queue: name, state });
    }
    return {};
  }
  const path = objectPath(Resources.taskQueue, namespace, name);
  const parsed = taskQueueSchema.safeParse(stored);
  if (!parsed.success) {
    const message = formatValidationError(parsed.error, `TaskQueue ${namespace}/${name}`);
    await writeStatus(ctx, Resources.taskQueue, stored, { ...stored.status }, [
      { type: 'Ready', status: 'False', reason: 'InvalidSpec', message },
      { type: 'Degraded', status: 'True', reason: 'InvalidSpec', message },
    ]);
    return {};
  }
  const queue: TaskQueue = parsed.data;
  const meta = stored.metadata;
  const ref: QueueRef = { namespace, name };
  const keys = taskyardKeys(ctx.config.prefix);

  if (meta.deletionTimestamp) {
    if (!meta.finalizers?.includes(REDIS_DATA_FINALIZER)) return {};
    const url = await queueRedisUrl(ctx.client, namespace, queue.spec.redis, ctx.config);
    const { prefix } = ctx.config;
    await ctx.redis.queue(url, prefix, ref).obliterate({ force: true });
    await ctx.redis.queue(url, prefix, ref, true).obliterate({ force: true });
    const connection = ctx.redis.connection(url);
    await removeQueuePolicy(connection, keys, ref);
    await connection.srem(keys.queues(namespace), name);
    await ctx.redis.dropQueue(url, prefix, ref);
    await ctx.events.record(stored, 'Normal', 'RedisDataDeleted', `deletionPolicy Delete: obliterated BullMQ queues ${bullQueueName(ref)} and ${bullDeadQueueName(ref)}, deleted the policy key and the queue's entry in ${keys.queues(namespace)}`);
    await setFinalizer(ctx.client, path, meta, REDIS_DATA_FINALIZER, false);
    ctx.log.info('deleted queue data', { kind: 'TaskQueue', namespace, name });
    return {};
  }

  if (await setFinalizer(ctx.client, path, meta, REDIS_DATA_FINALIZER, queue.spec.deletionPolicy === 'Delete')) {
    // The patch triggers a watch event; the next reconcile continues from the updated object.
    return {};
  }

  const refresh = { requeueAfterMs: ctx.config.statusRefreshSeconds * 1000 };
  let url: string;
  try {
    url = await queueRedisUrl(ctx.client, namespace, queue.spec.redis, ctx.config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await degrade(ctx, stored, 'RedisNotConfigured', message);
    return refresh;
  }

  const policy = resolveQueuePolicy(queue.spec);
  const { prefix } = ctx.config;
  const bull = ctx.redis.queue(url, prefix, ref);
  const dead = ctx.redis.queue(url, prefix, ref, true);
  const connection = ctx.redis.connection(url);
  let status: TaskQueueStatus;
  try {
    const changes = await applyQueueSettings(connection, bull, prefix, ref, policy);
    if (changes.length > 0) {
      await ctx.events.record(stored, 'Normal', 'SettingsApplied', `Redis settings updated: ${changes.join(', ')}`);
    }
    const now = ctx.clock.now();
    const [counts, workers, throughput] = await Promise.all([
      readQueueCounts(bull, dead),
      liveWorkers(connection, keys, namespace, now),
      connection.get(keys.rate(ref, Math.floor(now / 60_000) - 1)),
    ]);
    for (const [state, value] of Object.entries(counts)) ctx.metrics.queueDepth.set({ namespace, queue: name, state }, value);
    status = {
      counts,
      activeWorkers: workers.filter((w) => w.queues.includes(name)).length,
      throughputPerMinute: Number(throughput ?? 0),
    };
  } catch (error) {
    const message = `Redis at the queue's URL is unreachable or failed: ${error instanceof Error ? error.message : String(error)}`;
    await degrade(ctx, stored, 'RedisUnavailable', message);
    throw new Error(`TaskQueue ${namespace}/${name}: ${message}`, { cause: error });
  }
  const pausedNote = policy.paused ? ' (paused: tasks are accepted, none start)' : '';
  await writeStatus(ctx, Resources.taskQueue, stored, status, [
    { type: 'Ready', status: 'True', reason: policy.paused ? 'Paused' : 'QueueReady', message: `settings applied to Redis and policy published${pausedNote}` },
    { type: 'Progressing', status: 'False', reason: 'Applied', message: 'Redis matches the spec' },
    { type: 'Degraded', status: 'False', reason: 'Healthy', message: 'Redis reachable' },
  ]);
  return refresh;
}

async function degrade(ctx: ControllerContext, stored: Stored<TaskQueue>, reason: string, message: string): Promise<void> {
  const wasDegraded = stored.status?.conditions?.find((c) => c.type === 'Degraded')?.status === 'True';
  if (!wasDegraded) await ctx.events.record(stored, 'Warning', reason, message);
  await writeStatus(ctx, Resources.taskQueue, stored, { ...stored.status }, [
    { type: 'Ready', status: 'False', reason, message },
    { type: 'Degraded', status: 'True', reason, message },
  ]);
}
