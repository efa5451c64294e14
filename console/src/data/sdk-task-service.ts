import { Job } from 'bullmq';
import { InvalidEnqueueOptionsError, NonJsonArgumentError, PayloadTooLargeError, type EnqueueOptions } from '@taskyard/client';
import { isFinalTaskState, type TaskState } from '@taskyard/api';
import { bullDeadQueueName, clearTaskRevoked, DeadLetterQueue, forgetRevoke, formatQueueRef, readTaskMarker, type QueueRef, type RedisConnection, type TaskyardKeys } from '@taskyard/api/wire';
import { HttpError } from '../http/http-error.js';
import type { DeadLetterView } from '../schemas/dead-letter-schemas.js';
import type { QueueCounts } from '../schemas/queue-schemas.js';
import type { EnqueueBody, TaskDetail } from '../schemas/task-schemas.js';
import { buildTimeline } from './build-timeline.js';
import type { NamespaceClients } from './namespace-clients.js';
import type { TaskService } from './task-service.js';

const MAX_LOG_LINES = 200;

/**
 * TaskService on the client SDK (one client per namespace: NamespaceClients): enqueue, status, revoke,
 * counts and dead letters go through the SDK. What the SDK does not offer is done here on BullMQ's Queue
 * API and the wire modules: the task detail's extras (arguments, stack, logs, timeline, marker),
 * retrying a failed task, purging chosen dead letters.
 */
export class SdkTaskService implements TaskService {
  constructor(
    private readonly clients: NamespaceClients,
    private readonly redis: RedisConnection,
    private readonly keys: TaskyardKeys,
  ) {}

  async enqueue(ref: QueueRef, body: EnqueueBody): Promise<{ id: string; state: TaskState }> {
    const options: EnqueueOptions = { kwargs: body.kwargs, queue: ref.name };
    if (body.countdown !== undefined) options.countdown = body.countdown;
    if (body.eta !== undefined) options.eta = body.eta;
    if (body.expires !== undefined) options.expires = body.expires;
    if (body.priority !== undefined) options.priority = body.priority;
    if (body.idempotencyKey !== undefined) options.idempotencyKey = body.idempotencyKey;
    if (body.taskId !== undefined) options.taskId = body.taskId;
    if (body.attempts !== undefined) options.attempts = body.attempts;
    if (body.backoff !== undefined) options.backoff = body.backoff;
    if (body.timeLimit !== undefined) options.timeLimit = body.timeLimit;
    try {
      const handle = await this.clients.of(ref.namespace).enqueue(body.name, body.args, options);
      return { id: handle.id, state: 'PENDING' };
    } catch (err) {
      if (err instanceof PayloadTooLargeError) {
        throw new HttpError(413, 'payload_too_large', err.message, [{ field: 'body.args', message: `${err.bytes} bytes of JSON, over ${err.maxBytes}` }]);
      }
      if (err instanceof NonJsonArgumentError) throw new HttpError(400, 'invalid_request', err.message, [{ field: `body.${err.path}`, message: err.problem }]);
      if (err instanceof InvalidEnqueueOptionsError) throw new HttpError(400, 'invalid_request', err.message, [{ field: 'body', message: err.message }]);
      throw err;
    }
  }

  async detail(namespace: string, id: string): Promise<TaskDetail | undefined> {
    const client = this.clients.of(namespace);
    const status = await client.status(id);
    const ref: QueueRef = { namespace, name: status.queue };
    const queue = client.queue(status.queue);
    const [job, marker, logs] = await Promise.all([
      Job.fromId(queue, id),
      readTaskMarker(this.redis, this.keys, ref, id).then((m) => m ?? {}),
      queue.getJobLogs(id, -MAX_LOG_LINES, -1).catch(() => ({ logs: [] as string[], count: 0 })),
    ]);
    if (!job && status.name === undefined && Object.keys(marker).length === 0) return undefined;
    const markerFields = Object.fromEntries(Object.entries(marker).map(([k, v]) => [k, String(v)]));
    const jobState = job ? await queue.getJobState(id) : 'unknown';
    const data = (job?.data ?? {}) as { args?: unknown[]; kwargs?: Record<string, unknown>; options?: { attempts?: number } };
    const traceback = job?.stacktrace?.length ? job.stacktrace.join('\n\n') : status.error?.stack;
    const detail: TaskDetail = {
      id,
      queue: formatQueueRef(ref),
      name: status.name ?? marker.name ?? job?.name ?? '',
      state: status.state,
      jobState,
      ready: isFinalTaskState(status.state),
      args: Array.isArray(data.args) ? data.args : [],
      kwargs: data.kwargs && typeof data.kwargs === 'object' ? data.kwargs : {},
      attemptsMade: status.attemptsMade,
      revoked: marker.state === 'REVOKED',
      timeline: buildTimeline(job, markerFields, status.state),
      logs: logs.logs,
    };
    // Attempts allowed: known here only when set at enqueue; otherwise the bundle's task options
    // or the queue policy decide inside the worker, which does not record the figure.
    if (data.options?.attempts !== undefined) detail.maxAttempts = data.options.attempts;
    if (status.state === 'SUCCESS') detail.result = status.result;
    if (status.error) detail.error = status.error;
    if (traceback) detail.traceback = traceback;
    if (status.progress !== undefined) detail.progress = status.progress;
    if (status.enqueuedAt !== undefined) detail.enqueuedAt = status.enqueuedAt;
    if (status.startedAt !== undefined) detail.startedAt = status.startedAt;
    if (status.finishedAt !== undefined) detail.finishedAt = status.finishedAt;
    if (job && jobState === 'delayed' && job.delay > 0) detail.delayUntil = job.timestamp + job.delay;
    if (job?.opts.priority) detail.priority = job.opts.priority;
    return detail;
  }

  async revoke(namespace: string, id: string, terminate: boolean): Promise<TaskState> {
    const client = this.clients.of(namespace);
    await client.revoke(id, { terminate });
    return (await client.status(id)).state;
  }

  /**
   * Retries a FAILURE (or aborted REVOKED) task under the same id with fresh attempts: BullMQ moves
   * the failed job back to waiting. The SDK has no retry, so this clears the Taskyard revoke markers
   * itself (marker state and the revoked set) — otherwise a worker would discard it again.
   */
  async retry(namespace: string, id: string): Promise<{ id: string; queue: string; state: TaskState }> {
    const client = this.clients.of(namespace);
    const status = await client.status(id);
    const ref: QueueRef = { namespace, name: status.queue };
    const queue = client.queue(status.queue);
    const job = await Job.fromId(queue, id);
    const jobState = job ? await queue.getJobState(id) : 'unknown';
    if (!job || jobState !== 'failed') {
      throw new HttpError(409, 'not_retryable', `task ${id} is ${status.state} (BullMQ state ${jobState}); only a failed task can be retried — enqueue it again instead`, [
        { field: 'params.id', message: `task is ${status.state}` },
      ]);
    }
    // Two slots ({ns/q} for the marker, {ns} for the revoked set): two commands, not one MULTI.
    await clearTaskRevoked(this.redis, this.keys, ref, id);
    await forgetRevoke(this.redis, this.keys, namespace, id);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return { id, queue: formatQueueRef(ref), state: (await client.status(id)).state };
  }

  async counts(ref: QueueRef): Promise<QueueCounts> {
    const c = await this.clients.of(ref.namespace).queueCounts(ref.name);
    return {
      waiting: c.waiting,
      prioritized: c.prioritized,
      delayed: c.delayed,
      active: c.active,
      completed: c.completed,
      failed: c.failed,
      paused: c.paused,
      'waiting-children': c.waitingChildren,
      dead: c.dead,
    };
  }

  async deadLetters(ref: QueueRef, start: number, end: number): Promise<{ total: number; items: DeadLetterView[] }> {
    const client = this.clients.of(ref.namespace);
    const [entries, counts] = await Promise.all([client.deadLetters.list(ref.name, { offset: start, limit: end - start + 1 }), client.queueCounts(ref.name)]);
    const items = entries.map((e): DeadLetterView => ({
      id: e.id,
      taskId: e.taskId,
      queue: formatQueueRef(ref),
      name: e.message.name,
      args: e.message.args,
      kwargs: e.message.kwargs,
      error: e.error,
      attemptsMade: e.attemptsMade,
      failedAt: e.failedAt,
      ...(e.worker !== undefined ? { worker: e.worker } : {}),
    }));
    return { total: counts.dead, items };
  }

  async replay(ref: QueueRef, ids: string[] | undefined): Promise<string[]> {
    try {
      const handles = await this.clients.of(ref.namespace).deadLetters.replay(ref.name, ids);
      return handles.map((h) => h.id);
    } catch (err) {
      if (err instanceof Error && /has no entries/.test(err.message)) {
        throw new HttpError(404, 'dead_letter_not_found', err.message, [{ field: 'body.ids', message: 'unknown dead-letter entry id' }]);
      }
      throw err;
    }
  }

  /** All entries through the SDK; chosen ones through the wire module's DeadLetterQueue (`{ns/q}.dead`). */
  async purge(ref: QueueRef, ids: string[] | undefined): Promise<number> {
    if (ids === undefined) return this.clients.of(ref.namespace).deadLetters.purge(ref.name);
    const dead = new DeadLetterQueue(this.redis, this.keys, ref);
    const missing: string[] = [];
    let purged = 0;
    try {
      for (const id of ids) {
        if (await dead.remove(id)) purged++;
        else missing.push(id);
      }
    } finally {
      await dead.close();
    }
    if (missing.length > 0 && purged === 0) {
      throw new HttpError(404, 'dead_letter_not_found', `dead-letter queue ${bullDeadQueueName(ref)} has no entries ${missing.join(', ')}`, [
        { field: 'body.ids', message: 'unknown dead-letter entry id' },
      ]);
    }
    return purged;
  }

  async close(): Promise<void> {
    await this.clients.close();
  }
}
