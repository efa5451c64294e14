import type { Job } from 'bullmq';
import { taskStateFrom, type BullJobState } from '@taskyard/api';
import type { TaskSummary } from '../schemas/task-schemas.js';
import { errorNameOf } from './error-name.js';

const PREVIEW_CHARS = 200;

/** A list row from a BullMQ job of a known list plus its Taskyard marker state. Pure. */
export function jobToSummary(job: Job, queue: string, jobState: BullJobState, markerState: string | undefined): TaskSummary {
  const data = (job.data ?? {}) as { args?: unknown; kwargs?: unknown; enqueuedAt?: unknown; name?: unknown };
  const errorName = jobState === 'failed' ? errorNameOf(job.stacktrace, job.failedReason) : undefined;
  const argsText = JSON.stringify(data.args ?? []) + (data.kwargs && Object.keys(data.kwargs).length ? ' ' + JSON.stringify(data.kwargs) : '');
  return {
    id: String(job.id),
    queue,
    name: typeof data.name === 'string' ? data.name : job.name,
    state: taskStateFrom(jobState, { attemptsMade: job.attemptsMade, markerState, errorName }),
    jobState,
    attemptsMade: job.attemptsMade ?? 0,
    enqueuedAt: typeof data.enqueuedAt === 'number' ? data.enqueuedAt : job.timestamp,
    ...(job.processedOn ? { startedAt: job.processedOn } : {}),
    ...(job.finishedOn ? { finishedAt: job.finishedOn } : {}),
    argsPreview: argsText.length > PREVIEW_CHARS ? argsText.slice(0, PREVIEW_CHARS - 1) + '…' : argsText,
    ...(job.failedReason ? { error: errorName && !job.failedReason.startsWith(errorName) ? `${errorName}: ${job.failedReason}` : job.failedReason } : {}),
  };
}
