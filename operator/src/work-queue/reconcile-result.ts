/** What a reconcile returns: nothing (done until the next change) or a delay after which to run again. */
export interface ReconcileResult {
  /** Run this key again after so many ms (timed work: status refresh, autoscaling polls, delays). */
  requeueAfterMs?: number;
}
