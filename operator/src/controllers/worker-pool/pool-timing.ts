/**
 * A pool at zero replicas is polled at least this often whatever its pollSeconds, so the first waiting task
 * wakes it within about a second (activation), while scaling between non-zero counts follows pollSeconds.
 */
export const ACTIVATION_POLL_MS = 1000;

/** Re-apply an unchanged Deployment at least this often (edits by hand are also caught by their generation). */
export const RESYNC_MS = 5 * 60_000;

/** A pool with a problem (queue missing, Redis unset) is looked at again after this long. */
export const PROBLEM_RETRY_MS = 30_000;

/** When a WorkerPool is reconciled again: every pollSeconds when autoscaled (1 s at zero), else only on a problem. Pure. */
export function poolRequeueAfterMs(autoscaling: { pollSeconds: number } | undefined, replicas: number, hasProblems: boolean): number | undefined {
  if (autoscaling) {
    const pollMs = autoscaling.pollSeconds * 1000;
    return replicas === 0 ? Math.min(pollMs, ACTIVATION_POLL_MS) : pollMs;
  }
  return hasProblems ? PROBLEM_RETRY_MS : undefined;
}

/** True when an unchanged Deployment is due for its periodic re-apply (last applied at `lastApplyAt`, epoch ms). Pure. */
export function resyncDue(lastApplyAt: number, now: number): boolean {
  return now - lastApplyAt >= RESYNC_MS;
}
