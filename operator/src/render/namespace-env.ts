import type { V1EnvVar } from '@kubernetes/client-node';
import { RuntimeEnv } from '@taskyard/api';

/**
 * TASKYARD_NAMESPACE of a worker or beat pod: the namespace of its WorkerPool / Schedule, which is the
 * namespace of the queues it serves or enqueues to (queue identity = namespace + name, api/src/wire/keys.ts).
 * Written as a value, so the spec hash and `kubectl get -o yaml` show it; the pod's own namespace (downward
 * API) when the object carries none.
 */
export function namespaceEnv(namespace: string | undefined): V1EnvVar {
  return namespace
    ? { name: RuntimeEnv.namespace, value: namespace }
    : { name: RuntimeEnv.namespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } };
}
