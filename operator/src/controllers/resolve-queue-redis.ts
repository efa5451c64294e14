import type { TaskQueue } from '@taskyard/api';
import type { KubeClient } from '../kube/kube-client.js';
import { objectPath, Resources } from '../kube/resource-paths.js';
import type { RedisUrlSource } from '../render/redis-url-source.js';

/** A TaskQueue's Redis: the URL the operator connects to and what pods get as TASKYARD_REDIS_URL. */
export interface QueueRedis {
  operatorUrl: string;
  podSource: RedisUrlSource;
}

/** Raised when a queue's Redis cannot be determined; the message says what to fix. */
export class RedisConfigError extends Error {
  override name = 'RedisConfigError';
}

/**
 * Resolves the Redis of a TaskQueue: its Secret (spec.redis) when set, else the operator's default
 * (TASKYARD_REDIS_URL; pods get TASKYARD_WORKER_REDIS_URL). `queue` undefined means the queue does not exist
 * (yet): the default applies.
 */
export async function resolveQueueRedis(
  client: KubeClient,
  namespace: string,
  redisSpec: TaskQueue['spec']['redis'] | undefined,
  defaults: { redisUrl: string | undefined; workerRedisUrl: string | undefined },
): Promise<QueueRedis> {
  if (redisSpec) {
    const key = redisSpec.key ?? 'url';
    const secret = await client.getOrUndefined<{ data?: Record<string, string> }>(objectPath(Resources.secret, namespace, redisSpec.secretName));
    if (!secret) throw new RedisConfigError(`spec.redis.secretName: Secret ${namespace}/${redisSpec.secretName} not found; create it with a "${key}" key holding the Redis URL`);
    const encoded = secret.data?.[key];
    if (!encoded) throw new RedisConfigError(`spec.redis.key: Secret ${namespace}/${redisSpec.secretName} has no key "${key}"; add it or set spec.redis.key`);
    return { operatorUrl: Buffer.from(encoded, 'base64').toString('utf8').trim(), podSource: { secretKeyRef: { name: redisSpec.secretName, key } } };
  }
  if (!defaults.redisUrl) {
    throw new RedisConfigError('no Redis: set spec.redis to a Secret holding the URL, or start the operator with TASKYARD_REDIS_URL');
  }
  return { operatorUrl: defaults.redisUrl, podSource: { value: defaults.workerRedisUrl ?? defaults.redisUrl } };
}
