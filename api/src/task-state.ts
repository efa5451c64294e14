import { z } from 'zod';

/**
 * Celery's task state names, as Taskyard reports them (client `status()`, CLI, console).
 *
 * How a state is derived from BullMQ's job state plus the Taskyard marker hash
 * `P:{ns/q}:ty:task:<id>` (see wire/keys.ts and wire/task-marker.ts):
 *
 * | BullMQ job state                           | marker `state`  | Taskyard state | why                                                   |
 * |--------------------------------------------|-----------------|----------------|-------------------------------------------------------|
 * | completed                                  | (any)           | SUCCESS        | a finished result wins over a late revoke (Celery)    |
 * | active                                     | (any)           | STARTED        | running; a revoke without terminate lets it finish    |
 * | (any other)                                | REVOKED         | REVOKED        | revoked by the client, or expired (`reason: expired`) |
 * | failed, failedReason from TaskRevoked/TaskExpired | (none)   | REVOKED        | worker discarded or aborted it                        |
 * | failed                                     | (none)          | FAILURE        | last attempt failed (it is in `<queue>.dead` too)     |
 * | active                                     | (none)          | STARTED        | a worker holds its lock                               |
 * | delayed, attemptsMade > 0                  | (none)          | RETRY          | waiting for its backoff after a failed attempt        |
 * | delayed, attemptsMade = 0                  | (none)          | PENDING        | countdown / eta not reached yet                       |
 * | waiting, prioritized, paused, waiting-children | (none)      | PENDING        | queued (a chord callback waits for its header)        |
 * | unknown (no such job, or its result expired) | (none)        | PENDING        | Celery reports unknown ids as PENDING too             |
 */
export const TASK_STATES = ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'REVOKED'] as const;
export const TaskStateSchema = z.enum(TASK_STATES);
export type TaskState = z.infer<typeof TaskStateSchema>;

/** Job states as BullMQ's `Queue.getJobState()` reports them. */
export type BullJobState =
  | 'completed'
  | 'failed'
  | 'active'
  | 'delayed'
  | 'waiting'
  | 'prioritized'
  | 'waiting-children'
  | 'paused'
  | 'unknown';

/** Error names the runtime uses for tasks it did not run to the end on purpose (state REVOKED). */
export const REVOKED_ERROR_NAMES = ['TaskRevoked', 'TaskExpired'] as const;

/** What `taskStateFrom` needs besides the BullMQ state. */
export interface TaskStateInputs {
  /** BullMQ `job.attemptsMade` (failed attempts so far); 0 when unknown. */
  attemptsMade?: number;
  /** The `state` field of the marker hash `<prefix>:task:<id>`, if any. */
  markerState?: string | undefined;
  /** The name of the error the job failed with (first line of its stack), if failed. */
  errorName?: string | undefined;
}

/** Maps a BullMQ job state plus Taskyard markers to a Celery state name (table above). Pure. */
export function taskStateFrom(jobState: BullJobState, inputs: TaskStateInputs = {}): TaskState {
  if (jobState === 'completed') return 'SUCCESS';
  if (jobState === 'active') return 'STARTED';
  if (inputs.markerState === 'REVOKED') return 'REVOKED';
  switch (jobState) {
    case 'failed':
      return inputs.errorName !== undefined && (REVOKED_ERROR_NAMES as readonly string[]).includes(inputs.errorName)
        ? 'REVOKED'
        : 'FAILURE';
    case 'delayed':
      return (inputs.attemptsMade ?? 0) > 0 ? 'RETRY' : 'PENDING';
    default:
      return 'PENDING';
  }
}

/** True for states after which a task never changes again (Celery's READY_STATES). */
export function isFinalTaskState(state: TaskState): boolean {
  return state === 'SUCCESS' || state === 'FAILURE' || state === 'REVOKED';
}
