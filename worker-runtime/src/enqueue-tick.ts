import { Queue } from 'bullmq';
import { TASK_MESSAGE_VERSION, parseDuration, scheduleTaskId, type TaskMessage, type TaskOptions } from '@taskyard/api';
import {
  addClaimedTasks,
  bullQueueName,
  checkQueueRef,
  loadQueuePolicy,
  taskJobOptions,
  taskMarkerTtlMs,
  taskPriorityProblem,
  TASK_PRIORITY,
  type RedisConnection,
  type TaskyardKeys,
} from '@taskyard/api/wire';

/** What `taskyard-worker enqueue` is asked to do. */
export interface EnqueueTickRequest {
  /** Queue name in `namespace`. */
  queue: string;
  namespace: string;
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
  namespace: string;
  queue: string;
  task: string;
  tick: string;
  /** false when this tick's task already existed or a racing beat pod added it (exactly one of them says true). */
  enqueued: boolean;
}

/**
 * Enqueues the task of one Schedule tick under scheduleTaskId(scheduleId, tick), through the
 * producers' shared path (wire/add-task.ts: same job options, marker and atomic claim as the SDK),
 * so a doubled or retried beat pod adds the task once and only one of them reports enqueued: true.
 */
export async function enqueueTick(conn: RedisConnection, keys: TaskyardKeys, req: EnqueueTickRequest): Promise<EnqueueTickResult> {
  const ref = checkQueueRef({ namespace: req.namespace, name: req.queue });
  const taskId = scheduleTaskId(req.scheduleId, req.tick);
  const tickIso = new Date(Math.floor(req.tick.getTime() / 60_000) * 60_000).toISOString();
  const { priority, attempts, expires, ...rest } = req.options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new Error(`--options: unknown field(s) ${unknown.join(', ')}; a Schedule's options are priority, attempts and expires`);
  const priorityProblem = taskPriorityProblem(priority);
  if (priorityProblem) throw new Error(`--options: ${priorityProblem}`);
  if (attempts !== undefined && (!Number.isInteger(attempts) || (attempts as number) < 1)) throw new Error(`--options: attempts must be a whole number >= 1 (got ${JSON.stringify(attempts)})`);
  const { policy } = await loadQueuePolicy(conn, keys, ref);
  const bytes = Buffer.byteLength(JSON.stringify({ args: req.args, kwargs: req.kwargs }));
  if (bytes > policy.maxPayloadBytes) throw new Error(`task "${req.task}": arguments are ${bytes} bytes, over the queue's maxPayloadBytes ${policy.maxPayloadBytes}; pass a reference (a URL, a key) instead`);

  const now = Date.now();
  const data: TaskMessage = { v: TASK_MESSAGE_VERSION, name: req.task, args: req.args as TaskMessage['args'], kwargs: req.kwargs as TaskMessage['kwargs'], enqueuedAt: now, scheduleId: req.scheduleId, tick: tickIso };
  if (expires !== undefined) data.expires = Date.parse(tickIso) + (typeof expires === 'string' ? parseDuration(expires) : Number(expires));
  else if (policy.expires !== undefined) data.expires = now + policy.expires;
  const overrides: TaskOptions | undefined = attempts !== undefined ? { attempts: attempts as number } : undefined;
  if (overrides) data.options = overrides;
  const opts = taskJobOptions(taskId, overrides, 0, (priority as number | undefined) ?? TASK_PRIORITY.default);

  const queue = new Queue(bullQueueName(ref), { connection: conn, prefix: keys.prefix });
  try {
    const [enqueued] = await addClaimedTasks(conn, keys, [{ ref, id: taskId, name: req.task, enqueuedAt: now, markerTtlMs: taskMarkerTtlMs(overrides, policy, 0) }], () =>
      queue.add(req.task, data, opts),
    );
    return { taskId, namespace: ref.namespace, queue: ref.name, task: req.task, tick: tickIso, enqueued: enqueued ?? false };
  } finally {
    await queue.close().catch(() => undefined);
  }
}
