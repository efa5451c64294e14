import type { TaskQueue } from '@taskyard/api';
import type { KubeClient } from '../kube/kube-client.js';
import { objectPath, Resources } from '../kube/resource-paths.js';
import type { RedisUrlSource } from '../render/redis-url-source.js';

type RedisSpec = TaskQueue['spec']['redis'] | undefined;
interface RedisDefaults {
  redisUrl: string | undefined;
  workerRedisUrl: string | undefined;
}

/** Raised when a queue's Redis cannot be determined; the message says what to fix. */
export class RedisConfigError extends Error {
  override name = 'RedisConfigError';
}

/**
 * What pods of a queue get as TASKYARD_REDIS_URL: a reference to the TaskQueue's Secret (spec.redis), else the
 * operator's default (TASKYARD_WORKER_REDIS_URL, else TASKYARD_REDIS_URL). Pure: the Secret is not read, so
 * pods are rendered even before it exists. Throws RedisConfigError when there is no Redis at all.
 */
export function queueRedisPodSource(redisSpec: RedisSpec, defaults: RedisDefaults): RedisUrlSource {
  if (redisSpec) return { secretKeyRef: { name: redisSpec.secretName, key: redisSpec.key ?? 'url' } };
  const url = defaults.workerRedisUrl ?? defaults.redisUrl;
  if (!url) throw new RedisConfigError('no Redis: set spec.redis to a Secret holding the URL, or start the operator with TASKYARD_REDIS_URL');
  return { value: url };
}

/**
 * The URL the operator itself connects to for a queue: read from the TaskQueue's Secret when spec.redis is set,
 * else TASKYARD_REDIS_URL. `namespace` is the TaskQueue's. Throws RedisConfigError naming the field to fix.
 */
export async function queueRedisUrl(client: KubeClient, namespace: string, redisSpec: RedisSpec, defaults: RedisDefaults): Promise<string> {
  if (redisSpec) {
    const key = redisSpec.key ?? 'url';
    const secret = await client.getOrUndefined<{ data?: Record<string, string> }>(objectPath(Resources.secret, namespace, redisSpec.secretName));
    if (!secret) throw new RedisConfigError(`spec.redis.secretName: Secret ${namespace}/${redisSpec.secretName} not found; create it with a "${key}" key holding the Redis URL`);
    const encoded = secret.data?.[key];
    if (!encoded) throw new RedisConfigError(`spec.redis.key: Secret ${namespace}/${redisSpec.secretName} has no key "${key}"; add it or set spec.redis.key`);
    return Buffer.from(encoded, 'base64').toString('utf8').trim();
  }
  if (!defaults.redisUrl) throw new RedisConfigError('no Redis: set spec.redis to a Secret holding the URL, or start the operator with TASKYARD_REDIS_URL');
  return defaults.redisUrl;
}
