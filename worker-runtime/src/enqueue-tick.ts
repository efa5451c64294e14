import { parseDuration, scheduleTaskId } from '@taskyard/api';
import type { EnqueueOptions, TaskyardClient } from '@taskyard/client';

/** What `taskyard-worker enqueue` is asked to do. */
export interface EnqueueTickRequest {
  queue: string;
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Schedule options: priority, attempts, expires (duration string like "5m", or ms, counted from the tick). */
  options: Record<string, unknown>;
  scheduleId: string;
  tick: Date;
}

/** What the command prints (one JSON line). */
export interface EnqueueTickResult {
  taskId: string;
  queue: string;
  task: string;
  tick: string;
  /** false when this tick's task already existed (a doubled or retried beat pod). */
  enqueued: boolean;
}

/**
 * Enqueues the task of one Schedule tick under scheduleTaskId(scheduleId, tick): a second call
 * for the same tick (even a racing one) finds the id taken, adds nothing and reports enqueued: false.
 */
export async function enqueueTick(client: TaskyardClient, req: EnqueueTickRequest): Promise<EnqueueTickResult> {
  const taskId = scheduleTaskId(req.scheduleId, req.tick);
  const tickIso = new Date(Math.floor(req.tick.getTime() / 60_000) * 60_000).toISOString();
  const options: EnqueueOptions = { queue: req.queue, kwargs: req.kwargs, taskId, schedule: { id: req.scheduleId, tick: tickIso } };
  const { priority, attempts, expires, ...rest } = req.options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new Error(`--options: unknown field(s) ${unknown.join(', ')}; a Schedule's options are priority, attempts and expires`);
  }
  if (priority !== undefined) options.priority = Number(priority);
  if (attempts !== undefined) options.attempts = Number(attempts);
  if (expires !== undefined) {
    const ms = typeof expires === 'string' ? parseDuration(expires) : Number(expires);
    options.expires = new Date(Date.parse(tickIso) + ms);
  }
  // The SDK claims the id atomically (wire/task-marker.ts): of racing beat pods exactly one learns it enqueued.
  const handle = await client.enqueue(req.task, req.args, options);
  return { taskId, queue: req.queue, task: req.task, tick: tickIso, enqueued: handle.enqueued };
}
