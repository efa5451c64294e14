import { loadQueuePolicy, type QueuePolicyView, type QueueRef } from '@taskyard/api/wire';
import type { KubeHarness } from './kube-harness.js';

/** The policy the operator published for a queue, read through the wire reader; undefined when none was written. */
export async function readPolicy(h: KubeHarness, ref: QueueRef): Promise<QueuePolicyView | undefined> {
  const loaded = await loadQueuePolicy(h.redis, h.keys, ref);
  return loaded.declared ? loaded.policy : undefined;
}
