import { Job, Queue, type Worker } from 'bullmq';
import { TaskErrorNames, type TaskError, type TaskMessage } from '@taskyard/api';
import type { RedisConnection, TaskyardKeys } from '@taskyard/api/wire';

/**
 * BullMQ 6 fails some jobs itself, by a "deferred failure" (`job.deferredFailure`) set in Redis and
 * applied by the next worker that fetches the job, without calling the processor:
 * - `job stalled more than allowable limit`: its workers were lost (lock expired) too often;
 * - `child <job key> failed`: a child of a flow with failParentOnFailure (a chain's previous link,
 *   a chord's header task) failed.
 * BullMQ's own error for both is a bare UnrecoverableError. The runtime lets them reach its
 * processor instead (`letProcessorHandleDeferredFailures`), so they fail like every other task:
 * with a Taskyard error name (WorkerLost, ChildTaskFailed) in status and in the dead letter alike,
 * and a child's failure carrying the child's id and error.
 */
export function letProcessorHandleDeferredFailures(worker: Worker): void {
  // BullMQ 6.x: Worker.processJob asks this (private) method before calling the processor.
  (worker as unknown as { getUnrecoverableErrorMessage: (job: Job) => string | undefined }).getUnrecoverableErrorMessage = () => undefined;
}

/** Which deferred failure BullMQ recorded on the job, if any. */
export function deferredFailure(job: Job): 'worker-lost' | 'child-failed' | 'other' | undefined {
  const reason = job.deferredFailure;
  if (!reason) return undefined;
  if (/stalled more than allowable limit/.test(reason)) return 'worker-lost';
  if (/^child .+ failed$/.test(reason)) return 'child-failed';
  return 'other';
}

/** The error of a flow task whose child failed: names the child's task id and its error (name and message). */
export async function childFailure(job: Job, conn: RedisConnection, keys: TaskyardKeys, data: TaskMessage): Promise<TaskError> {
  const childKey = /^child (.+) failed$/.exec(job.deferredFailure ?? '')?.[1] ?? '';
  const child = keys.jobOfKey(childKey);
  const childId = child?.id ?? childKey;
  const role = data.input === 'chord' ? 'header task' : 'previous task of the chain';
  let childError: TaskError = { name: 'Error', message: 'unknown error (its record is gone)' };
  if (child) {
    const queue = new Queue(child.bullName, { connection: conn, prefix: keys.prefix });
    try {
      const childJob = await Job.fromId(queue, childId);
      const stack = childJob?.stacktrace?.[childJob.stacktrace.length - 1];
      const name = /^([A-Za-z_$][\w$]*)(?::|$)/.exec(stack?.split('\n', 1)[0] ?? '')?.[1] ?? 'Error';
      if (childJob) childError = { name, message: childJob.failedReason ?? '', ...(stack ? { stack } : {}) };
    } finally {
      await queue.close().catch(() => undefined);
    }
  }
  const message = `${role} ${childId} failed with ${childError.name}: ${childError.message}`;
  return { name: TaskErrorNames.childFailed, message, stack: `${TaskErrorNames.childFailed}: ${message}${childError.stack ? `\ncaused by ${childError.stack}` : ''}` };
}
