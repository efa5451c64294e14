import type { KubeClient } from '../kube/kube-client.js';
import { FIELD_MANAGER } from '../render/operator-labels.js';

/** Finalizer of a TaskQueue whose deletionPolicy is Delete: its Redis data goes before the object. */
export const REDIS_DATA_FINALIZER = 'taskyard.dev/redis-data';
/** Finalizer of a Schedule run by a BullMQ job scheduler: the scheduler is removed before the object. */
export const JOB_SCHEDULER_FINALIZER = 'taskyard.dev/job-scheduler';

/**
 * Adds or removes one finalizer with a merge patch carrying the resourceVersion read, so a concurrent change
 * makes it fail with a conflict (and the reconcile retries) instead of dropping someone else's finalizer, and
 * a deleted object is never re-created.
 */
export async function setFinalizer(
  client: KubeClient,
  path: string,
  metadata: { resourceVersion?: string | undefined; finalizers?: string[] | undefined },
  finalizer: string,
  present: boolean,
): Promise<boolean> {
  const current = metadata.finalizers ?? [];
  const has = current.includes(finalizer);
  if (has === present) return false;
  const finalizers = present ? [...current, finalizer] : current.filter((f) => f !== finalizer);
  await client.mergePatch(path, { metadata: { resourceVersion: metadata.resourceVersion, finalizers } }, FIELD_MANAGER);
  return true;
}
