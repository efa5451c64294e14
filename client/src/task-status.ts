import type { TaskError, TaskState } from '@taskyard/api';

/** What `client.status(id)` reports about one task. */
export interface TaskStatus {
  id: string;
  /** Celery state name (see api/task-state.ts for how it is derived). */
  state: TaskState;
  queue: string;
  /** Task name; undefined when the task is unknown (never enqueued, or its result expired). */
  name?: string;
  /** Return value, when SUCCESS. */
  result?: unknown;
  /** The task's error, when FAILURE (or the reason of a REVOKED task that was aborted). */
  error?: TaskError;
  /** Why it is REVOKED: "revoked" or "expired". */
  revokedReason?: string;
  /** Last value reported with ctx.progress(). */
  progress?: unknown;
  /** Attempts that have finished so far (failed ones plus a successful last one). */
  attemptsMade: number;
  enqueuedAt?: number;
  /** When a worker took the task (with prefetch it may then wait briefly for a free sandbox). */
  startedAt?: number;
  finishedAt?: number;
}
