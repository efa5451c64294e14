/** Options of a WorkQueue. */
export interface WorkQueueOptions {
  /** Reconciles run at once across different keys; default 4. The same key never runs twice at once. */
  concurrency?: number;
  /** First retry delay after a failure, ms; doubles per consecutive failure of a key; default 200. */
  baseRetryDelayMs?: number;
  /** Cap on the retry delay, ms; default 300000 (5 min). */
  maxRetryDelayMs?: number;
}
