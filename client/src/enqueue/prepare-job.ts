import { TASK_MESSAGE_VERSION, type TaskMessage } from '@taskyard/api';
import { invalidNameReason, taskJobOptions, taskMarkerTtlMs } from '@taskyard/api/wire';
import { checkJsonArgs } from '../check-json-args.js';
import type { ClientContext } from '../client-context.js';
import type { EnqueueOptions } from '../enqueue-options.js';
import { InvalidEnqueueOptionsError, PayloadTooLargeError } from '../errors.js';
import { taskPriority } from '../task-priority.js';
import { expiresAt, startDelay, taskIdFor, taskOptionOverrides } from './check-enqueue-options.js';
import type { PreparedJob } from './prepared-job.js';

/**
 * Checks a task call and builds its job (options and marker TTL from wire/add-task.ts, shared with
 * the runtime's Schedule enqueue); nothing is written. Throws NonJsonArgumentError,
 * PayloadTooLargeError (against the queue's maxPayloadBytes) or InvalidEnqueueOptionsError.
 */
export async function prepareJob(ctx: ClientContext, name: string, args: readonly unknown[], options: EnqueueOptions): Promise<PreparedJob> {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidEnqueueOptionsError('task name must be a non-empty string, e.g. client.enqueue("emails.send", [...])');
  }
  if (!Array.isArray(args)) {
    throw new InvalidEnqueueOptionsError(`task "${name}": args must be an array of positional arguments (got ${typeof args}); keyword arguments go in options.kwargs`);
  }
  const kwargs = options.kwargs ?? {};
  const hasDates = checkJsonArgs(name, args, kwargs);
  const queueName = options.queue ?? ctx.routes.queueFor(name) ?? ctx.defaultQueue;
  const badQueue = invalidNameReason('queue', queueName);
  if (badQueue) throw new InvalidEnqueueOptionsError(`task "${name}": option queue: ${badQueue}`);
  const priority = taskPriority(name, options.priority);
  const policy = await ctx.policy(queueName, 'enqueue');
  const argsJson = JSON.stringify({ args, kwargs });
  const bytes = Buffer.byteLength(argsJson);
  if (bytes > policy.maxPayloadBytes) throw new PayloadTooLargeError(name, queueName, bytes, policy.maxPayloadBytes);
  const now = Date.now();
  const delay = startDelay(name, options, now);
  const id = taskIdFor(name, options);
  // values are checked JSON already; only Dates change through JSON (to ISO strings)
  const parsedArgs = hasDates
    ? (JSON.parse(argsJson) as { args: TaskMessage['args']; kwargs: TaskMessage['kwargs'] })
    : { args: args as TaskMessage['args'], kwargs: kwargs as TaskMessage['kwargs'] };
  const data: TaskMessage = { v: TASK_MESSAGE_VERSION, name, args: parsedArgs.args, kwargs: parsedArgs.kwargs, enqueuedAt: now };
  const expires = expiresAt(name, options.expires, now) ?? (policy.expires !== undefined ? now + delay + policy.expires : undefined);
  if (expires !== undefined) data.expires = expires;
  if (options.schedule) {
    data.scheduleId = options.schedule.id;
    data.tick = options.schedule.tick;
  }
  const overrides = taskOptionOverrides(options);
  if (overrides) data.options = overrides;
  return {
    ref: ctx.ref(queueName),
    name,
    id,
    data,
    opts: taskJobOptions(id, overrides, delay, priority),
    enqueuedAt: now,
    markerTtlMs: taskMarkerTtlMs(overrides, policy, delay),
  };
}
