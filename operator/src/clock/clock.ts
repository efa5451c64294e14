/**
 * Where reconcilers read the time (controller-runtime's injected clock): the operator runs on the system
 * clock, tests on a fake one they move by hand, so every timing rule (idle timer, scale-down delay, next
 * schedule tick, periodic re-apply) is tested without waiting and without a cluster.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The system clock (Date.now). */
export const systemClock: Clock = { now: () => Date.now() };
