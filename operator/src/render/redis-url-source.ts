/** Where pods get TASKYARD_REDIS_URL: a literal (the operator's default) or a TaskQueue's Secret key. */
export type RedisUrlSource = { value: string } | { secretKeyRef: { name: string; key: string } };

/** The env entry for TASKYARD_REDIS_URL from a source. */
export function redisUrlEnv(name: string, source: RedisUrlSource) {
  return 'value' in source ? { name, value: source.value } : { name, valueFrom: { secretKeyRef: { ...source.secretKeyRef } } };
}
