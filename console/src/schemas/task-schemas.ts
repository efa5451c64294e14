import { z } from 'zod';
import { BackoffSchema, TaskStateSchema } from '@taskyard/api';
import { NamespaceSchema, QueueNameSchema, TaskErrorViewSchema, TaskIdSchema } from './common-schemas.js';

const isoOrEpoch = z.union([z.number().int().min(0), z.iso.datetime({ offset: true })]);

/** POST /api/tasks — Celery's apply_async over HTTP. Unknown fields are rejected by name. */
export const EnqueueBodySchema = z
  .strictObject({
    name: z.string().min(1).max(500).describe('task name as given to defineTask in the bundle'),
    args: z.array(z.json()).default([]).describe('positional arguments (JSON)'),
    kwargs: z.record(z.string(), z.json()).default({}).describe('keyword arguments (JSON object)'),
    queue: QueueNameSchema.optional().describe('queue; default: the console\'s default queue'),
    countdown: z.number().int().min(0).optional().describe('run no earlier than this many ms from now'),
    eta: z.iso.datetime({ offset: true }).optional().describe('run no earlier than this time (ISO 8601)'),
    expires: isoOrEpoch.optional().describe('ms from now (number) or an ISO time after which the task is discarded'),
    priority: z.number().int().min(1).max(2_097_152).optional().describe('1 = highest'),
    idempotencyKey: z.string().min(1).max(500).optional(),
    taskId: TaskIdSchema.refine((id) => !/^\d+$/.test(id), 'must not be an integer (BullMQ numbers its own ids)').optional(),
    attempts: z.number().int().min(1).max(1000).optional(),
    backoff: BackoffSchema.optional(),
    timeLimit: z.strictObject({ soft: z.number().int().positive().optional(), hard: z.number().int().positive().optional() }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.countdown !== undefined && body.eta !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['eta'], message: 'give either countdown or eta, not both' });
    }
    if (body.idempotencyKey !== undefined && body.taskId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['taskId'], message: 'give either idempotencyKey or taskId, not both' });
    }
  });
export type EnqueueBody = z.output<typeof EnqueueBodySchema>;

export const EnqueueResponseSchema = z.object({ id: z.string(), queue: z.string().describe('"namespace/name"'), state: TaskStateSchema });

export const TaskParamsSchema = z.strictObject({ id: TaskIdSchema });

/** `?namespace=` of the task endpoints: task ids are unique within a namespace. */
export const TaskNamespaceQuerySchema = z.strictObject({ namespace: NamespaceSchema.optional() });

/** BullMQ lists the console pages through. */
export const JOB_LISTS = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed', 'waiting-children'] as const;
export const JobListSchema = z.enum(JOB_LISTS);
export type JobList = z.infer<typeof JobListSchema>;

export const TimelineEntrySchema = z.object({
  at: z.number().int().describe('epoch ms'),
  event: z.string(),
  detail: z.string().optional(),
});

/** One task, as listed (no result/stack to keep pages small). */
export const TaskSummarySchema = z.object({
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  state: TaskStateSchema,
  jobState: z.string(),
  attemptsMade: z.number().int(),
  enqueuedAt: z.number().int().optional(),
  startedAt: z.number().int().optional(),
  finishedAt: z.number().int().optional(),
  argsPreview: z.string().describe('args and kwargs as JSON, cut at 200 characters'),
  error: z.string().optional().describe('error name and message of a failed task'),
});
export type TaskSummary = z.infer<typeof TaskSummarySchema>;

export const TaskDetailSchema = z.object({
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  state: TaskStateSchema,
  jobState: z.string(),
  ready: z.boolean().describe('true once the state is final (SUCCESS, FAILURE, REVOKED)'),
  args: z.array(z.unknown()),
  kwargs: z.record(z.string(), z.unknown()),
  result: z.unknown().optional(),
  error: TaskErrorViewSchema.optional(),
  traceback: z.string().optional(),
  attemptsMade: z.number().int(),
  maxAttempts: z.number().int().optional().describe('attempts allowed, when set at enqueue (otherwise the task or queue policy decides in the worker)'),
  progress: z.unknown().optional(),
  enqueuedAt: z.number().int().optional(),
  startedAt: z.number().int().optional(),
  finishedAt: z.number().int().optional(),
  delayUntil: z.number().int().optional(),
  priority: z.number().int().optional(),
  revoked: z.boolean(),
  timeline: z.array(TimelineEntrySchema),
  logs: z.array(z.string()),
});
export type TaskDetail = z.infer<typeof TaskDetailSchema>;

export const TaskListQuerySchema = z.strictObject({
  queue: QueueNameSchema,
  state: JobListSchema.default('waiting'),
  search: z.string().max(200).optional().describe('a task id, or text found in the name or arguments'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const TaskListResponseSchema = z.object({
  queue: z.string(),
  state: JobListSchema,
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int().describe('tasks in this list (all of them, before search)'),
  items: z.array(TaskSummarySchema),
  search: z
    .object({ text: z.string(), scanned: z.number().int(), complete: z.boolean().describe('false when only the newest tasks were searched') })
    .optional(),
});

export const RevokeBodySchema = z.strictObject({
  terminate: z.boolean().default(false).describe('abort the task if it is running'),
});
export const RevokeResponseSchema = z.object({ id: z.string(), revoked: z.literal(true), terminate: z.boolean(), state: TaskStateSchema });

export const RetryResponseSchema = z.object({ id: z.string(), queue: z.string(), state: TaskStateSchema });
