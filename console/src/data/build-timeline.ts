import type { Job } from 'bullmq';
import type { TaskState } from '@taskyard/api';

export interface TimelineEntry {
  at: number;
  event: string;
  detail?: string;
}

/**
 * A task's timeline from what Redis keeps: BullMQ's job timestamps (enqueued, delayed until,
 * started, finished) plus every `<field>At` epoch-ms field of the Taskyard marker hash (e.g.
 * `revokedAt`, written by the client). Oldest first. Pure.
 */
export function buildTimeline(job: Job | undefined, marker: Record<string, string>, state: TaskState): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (job) {
    const enqueuedAt = (job.data as { enqueuedAt?: unknown })?.enqueuedAt;
    entries.push({ at: typeof enqueuedAt === 'number' ? enqueuedAt : job.timestamp, event: 'enqueued', detail: `queue ${job.queueName}` });
    if (job.delay > 0) entries.push({ at: job.timestamp + job.delay, event: 'due', detail: `delayed ${job.delay} ms` });
    if (job.processedOn) entries.push({ at: job.processedOn, event: 'started', detail: `attempt ${job.attemptsStarted || job.attemptsMade + 1}` });
    if (job.finishedOn) {
      const event = state === 'SUCCESS' ? 'succeeded' : state === 'REVOKED' ? 'revoked' : 'failed';
      const took = job.processedOn ? `after ${job.finishedOn - job.processedOn} ms` : undefined;
      const detail = job.failedReason ? (took ? `${job.failedReason} (${took})` : job.failedReason) : took;
      entries.push({ at: job.finishedOn, event, ...(detail ? { detail } : {}) });
    }
  }
  for (const [field, value] of Object.entries(marker)) {
    const m = /^(\w+)At$/.exec(field);
    const at = Number(value);
    if (!m?.[1] || !Number.isFinite(at) || at <= 0) continue;
    if (field === 'enqueuedAt' && job) continue;
    entries.push({ at, event: m[1], ...(field === 'revokedAt' && marker.reason ? { detail: marker.reason } : {}) });
  }
  return entries.sort((a, b) => a.at - b.at);
}
