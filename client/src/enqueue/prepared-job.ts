import type { JobsOptions } from 'bullmq';
import type { TaskMessage } from '@taskyard/api';
import type { QueueRef } from '@taskyard/api/wire';

/** A task checked and ready to be added: where, what, how, and how long its marker lives. */
export interface PreparedJob {
  ref: QueueRef;
  name: string;
  id: string;
  data: TaskMessage;
  opts: JobsOptions;
  /** When it was enqueued (epoch ms, = data.enqueuedAt). */
  enqueuedAt: number;
  /** TTL of the task marker once the job is added (ms). */
  markerTtlMs: number;
}
