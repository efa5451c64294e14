import type { Backoff } from '@taskyard/api';

/**
 * Delay before the next attempt, in ms (Celery's retry_backoff / retry_backoff_max / retry_jitter).
 * `failedAttempts` counts the attempts that failed so far (1 after the first failure).
 * exponential: delay * 2^(failedAttempts-1), fixed: delay; both capped at maxDelay; with jitter
 * (default on) the result is uniform in [0, capped] ("full jitter"). Pure given `random`.
 */
export function backoffDelay(failedAttempts: number, backoff: Backoff | undefined, random: () => number = Math.random): number {
  const base = backoff?.delay ?? 1000;
  const maxDelay = backoff?.maxDelay ?? 600_000;
  const n = Math.max(1, Math.floor(failedAttempts));
  // 2^(n-1) overflows to Infinity for huge n; Math.min then caps it.
  const raw = backoff?.type === 'fixed' ? base : base * 2 ** (n - 1);
  const capped = Math.min(raw, maxDelay);
  const jittered = backoff?.jitter === false ? capped : random() * capped;
  return Math.round(jittered);
}
