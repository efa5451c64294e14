import { z } from 'zod';
import { API_GROUP_VERSION } from './api-group.js';
import { celDurationMs } from './cel-duration.js';
import { checkCronExpression, CRON_PATTERN } from './check-cron-expression.js';
import { conditionsSchema } from './condition.js';
import { withCrossFieldRules } from './cross-field-rule.js';
import { durationSchema } from './duration.js';
import { kubeNameSchema } from './kube-name.js';
import { objectMetaSchema } from './object-meta.js';
import { parseDuration } from './parse-duration.js';
import { timeZoneSchema } from './time-zone.js';

/** Any JSON value (an argument of the task). */
const jsonValue = z.unknown().meta({ 'x-kubernetes-preserve-unknown-fields': true });

/** Enqueue options of each task the schedule sends. */
export const scheduleTaskOptionsSchema = z
  .strictObject({
    /** Priority, 1 the highest (BullMQ). Default: none (unprioritized tasks run first, as BullMQ orders them). */
    priority: z.int().min(1).max(2_097_152).optional().describe('Priority, 1 the highest. Default: none.'),
    /** The task expires if not started this long after its tick. Default: the queue's defaults.expires. */
    expires: durationSchema.optional().describe("The task expires if not started this long after the tick. Default: the queue's."),
    /** Runs the task may get. Default: the queue's defaults.attempts. */
    attempts: z.int().min(1).max(1000).optional().describe("Runs the task may get. Default: the queue's."),
  })
  .describe('Enqueue options of each task sent.');

export type ScheduleTaskOptions = z.infer<typeof scheduleTaskOptionsSchema>;

export const cronExpressionSchema = z
  .string()
  .max(256)
  .regex(CRON_PATTERN, { message: 'must have 5 fields: minute hour day-of-month month day-of-week, e.g. "*/5 * * * *"' })
  .superRefine((expression, ctx) => {
    const problem = checkCronExpression(expression);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const scheduleSpecSchema = withCrossFieldRules(
  z.strictObject({
    /** TaskQueue the tasks are sent to. */
    queue: kubeNameSchema.describe('TaskQueue the tasks are sent to.'),
    /** Registered task name in the bundle. */
    task: z.string().min(1).max(256).describe('Task name, as defineTask registers it.'),
    /** Positional arguments (JSON). Default []. */
    args: z.array(jsonValue).max(256).default([]).describe('Positional arguments (JSON). Default [].'),
    /** Keyword arguments (JSON object). Default {}. */
    kwargs: z
      .record(z.string(), z.unknown())
      .meta({ 'x-kubernetes-preserve-unknown-fields': true })
      .default({})
      .describe('Keyword arguments (a JSON object). Default {}.'),
    options: scheduleTaskOptionsSchema.optional(),
    /** Standard 5-field cron (minute hour day-of-month month day-of-week). Exclusive with every. */
    cron: cronExpressionSchema
      .optional()
      .describe('5-field cron: minute hour day-of-month month day-of-week, e.g. "0 3 * * *". Exclusive with every.'),
    /** IANA time zone of cron. Default `UTC` (the CronJob's default is the controller's zone; Taskyard pins UTC). */
    timeZone: timeZoneSchema.optional().describe('IANA time zone of cron, e.g. Europe/Paris. Default UTC. Only with cron.'),
    /** Fixed interval, at least 1s (Celery beat's schedule=30.0). Exclusive with cron. */
    every: durationSchema.optional().describe('Fixed interval, at least 1s, e.g. 30s. Exclusive with cron.'),
    /** What a tick does while the previous tick's enqueue is still running. Default `Allow`, as CronJob. */
    concurrencyPolicy: z
      .enum(['Allow', 'Forbid', 'Replace'])
      .default('Allow')
      .describe("Overlapping ticks' beat pods: Allow, Forbid or Replace (as CronJob). Default Allow."),
    /** A tick missed by more than this is skipped. Default: no deadline. */
    startingDeadlineSeconds: z
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .describe('A tick missed by more than this many seconds is skipped. Default: no deadline.'),
    /** Suspended schedules send nothing. Default false. */
    suspend: z.boolean().default(false).describe('A suspended schedule sends nothing. Default false.'),
  }),
  [
    {
      rule: 'has(self.cron) != has(self.every)',
      message: 'set exactly one of cron or every',
      fieldPath: '.cron',
      reason: 'FieldValueInvalid',
      holds: (spec) => (spec.cron === undefined) !== (spec.every === undefined),
    },
    {
      rule: '!has(self.timeZone) || has(self.cron)',
      message: 'timeZone applies to cron only: remove it, or use cron instead of every',
      fieldPath: '.timeZone',
      reason: 'FieldValueForbidden',
      holds: (spec) => spec.timeZone === undefined || spec.cron !== undefined,
    },
    {
      rule: `!has(self.every) || ${celDurationMs('self.every')} >= 1000`,
      message: 'every must be at least 1s',
      fieldPath: '.every',
      reason: 'FieldValueInvalid',
      holds: (spec) => spec.every === undefined || parseDuration(spec.every) >= 1000,
    },
  ],
).describe('Celery beat as a resource: send a task on a cron schedule or at a fixed interval.');

export type ScheduleSpec = z.infer<typeof scheduleSpecSchema>;
export type ScheduleSpecInput = z.input<typeof scheduleSpecSchema>;

export const scheduleStatusSchema = z
  .strictObject({
    conditions: conditionsSchema.optional(),
    observedGeneration: z.int().min(0).optional().describe('metadata.generation this status was computed from.'),
    lastScheduleTime: z.iso.datetime({ offset: true }).optional().describe('RFC 3339 time of the last tick that sent a task.'),
    lastTaskId: z.string().max(256).optional().describe('Id of the task the last tick sent.'),
    nextScheduleTime: z.iso.datetime({ offset: true }).optional().describe('RFC 3339 time of the next tick.'),
  })
  .describe('Observed state of the schedule, written by the operator.');

export type ScheduleStatus = z.infer<typeof scheduleStatusSchema>;

export const scheduleSchema = z
  .strictObject({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal('Schedule'),
    metadata: objectMetaSchema,
    spec: scheduleSpecSchema,
    status: scheduleStatusSchema.optional(),
  })
  .describe('Schedule: Celery beat as a resource.');

export type Schedule = z.infer<typeof scheduleSchema>;
export type ScheduleInput = z.input<typeof scheduleSchema>;
