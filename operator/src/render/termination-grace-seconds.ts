/** Seconds added to the longest hard time limit, so a draining task can hit its limit and still report. */
export const GRACE_MARGIN_SECONDS = 10;
/** Grace period when no queue of the pool has a hard time limit (Kubernetes' own default). */
export const DEFAULT_GRACE_SECONDS = 30;

/**
 * terminationGracePeriodSeconds of a worker pod: the template's value when set, else the longest hard time
 * limit of the pool's queues (ms) rounded up to seconds plus a margin, else 30 s. Pure.
 */
export function terminationGraceSeconds(templateValue: number | undefined, queueHardLimitsMs: readonly number[]): number {
  if (templateValue !== undefined) return templateValue;
  if (queueHardLimitsMs.length === 0) return DEFAULT_GRACE_SECONDS;
  return Math.ceil(Math.max(...queueHardLimitsMs) / 1000) + GRACE_MARGIN_SECONDS;
}
