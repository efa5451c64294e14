import type { QueuePolicy } from '@taskyard/api';
import type { QueueRef } from '@taskyard/api/wire';
import type { KubeHarness } from './kube-harness.js';

/** The policy the operator published for a queue, or undefined. */
export async function readPolicy(h: KubeHarness, ref: QueueRef): Promise<QueuePolicy | undefined> {
  const raw = await h.redis.get(h.keys.policy(ref));
  return raw ? (JSON.parse(raw) as QueuePolicy) : undefined;
}
