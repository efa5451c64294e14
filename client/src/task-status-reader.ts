import { Job } from 'bullmq';
import { isFinalTaskState, taskStateFrom, type BullJobState, type TaskError } from '@taskyard/api';
import { readTaskMarker } from '@taskyard/api/wire';
import type { ClientContext } from './client-context.js';
import { ResultTimeoutError, TaskFailedError, TaskRevokedError } from './errors.js';
import type { ResultOptions } from './task-handle.js';
import { locateTask } from './task-locator.js';
import type { TaskStatus } from './task-status.js';

/**
 * The task's state (Celery names) from BullMQ's job plus the task marker. An id no queue of the
 * namespace knows is PENDING with no name (Celery's answer for unknown ids). Writes nothing.
 */
export async function readTaskStatus(ctx: ClientContext, id: string, options: { queue?: string } = {}): Promise<TaskStatus> {
  return ctx.guard('status', async () => {
    const ref = (await locateTask(ctx, id, options.queue)) ?? ctx.ref(ctx.defaultQueue);
    const queue = ctx.queue(ref.name);
    // State first, then the job: BullMQ writes a job's result and moves it to completed/failed in one
    // script, so a state read before the job hash never pairs SUCCESS with a result not yet read.
    const [marker, jobState] = await Promise.all([readTaskMarker(ctx.connection, ctx.keys, ref, id), queue.getJobState(id)]);
    const job = await Job.fromId(queue, id);
    const error = job?.failedReason !== undefined && job.failedReason !== null && jobState === 'failed' ? jobError(job) : undefined;
    const state = taskStateFrom(jobState as BullJobState, { attemptsMade: job?.attemptsMade ?? 0, markerState: marker?.state, errorName: error?.name });
    const status: TaskStatus = { id, state, queue: ref.name, attemptsMade: job?.attemptsMade ?? 0 };
    const name = job?.name ?? marker?.name;
    if (name !== undefined) status.name = name;
    if (state === 'SUCCESS') status.result = job?.returnvalue;
    if (error) status.error = error;
    if (state === 'REVOKED') status.revokedReason = marker?.reason ?? (error?.name === 'TaskExpired' ? 'expired' : 'revoked');
    const progress = job?.progress;
    if (progress !== undefined && progress !== 0 && !(typeof progress === 'object' && Object.keys(progress).length === 0)) status.progress = progress;
    const enqueuedAt = job?.timestamp ?? marker?.enqueuedAt;
    if (enqueuedAt) status.enqueuedAt = enqueuedAt;
    if (job?.processedOn) status.startedAt = job.processedOn;
    if (job?.finishedOn) status.finishedAt = job.finishedOn;
    return status;
  });
}

/**
 * Waits for the task to finish (Celery's `AsyncResult.get()`): its return value, or TaskFailedError
 * on FAILURE, TaskRevokedError on REVOKED, ResultTimeoutError after `timeout` ms.
 */
export async function waitForResult(ctx: ClientContext, id: string, options: ResultOptions = {}): Promise<unknown> {
  const deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout;
  const maxInterval = options.maxPollInterval ?? 200;
  let interval = 5;
  for (;;) {
    const status = await readTaskStatus(ctx, id, options.queue !== undefined ? { queue: options.queue } : {});
    if (isFinalTaskState(status.state)) {
      if (status.state === 'SUCCESS') return status.result;
      if (status.state === 'REVOKED') throw new TaskRevokedError(id, status.revokedReason ?? 'revoked');
      throw new TaskFailedError(id, status.error ?? { name: 'Error', message: 'task failed' });
    }
    const now = Date.now();
    if (now >= deadline) throw new ResultTimeoutError(id, options.timeout ?? 0, status.state);
    await new Promise((r) => setTimeout(r, Math.min(interval, deadline - now)));
    interval = Math.min(interval * 2, maxInterval);
  }
}

/** The task's error from a failed job: name from the first stack line, message, stack. */
function jobError(job: Job): TaskError {
  const stack = job.stacktrace?.[job.stacktrace.length - 1] ?? undefined;
  const firstLine = stack?.split('\n', 1)[0] ?? '';
  const m = /^([A-Za-z_$][\w$]*)(?::|$)/.exec(firstLine);
  const error: TaskError = { name: m?.[1] ?? 'Error', message: job.failedReason };
  if (stack) error.stack = stack;
  return error;
}
