import type { z } from 'zod';
import type { CelValidation } from './cross-field-rule.js';
import { scheduleSchema, scheduleSpecSchema, scheduleStatusSchema } from './schedule.js';
import { taskQueueSchema, taskQueueSpecSchema, taskQueueStatusSchema } from './task-queue.js';
import { workerPoolSchema, workerPoolSpecSchema, workerPoolStatusSchema } from './worker-pool.js';

/** A column of `kubectl get` (CRD additionalPrinterColumns). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description: string;
  /** 1 = shown only with `-o wide`. */
  priority?: number;
}

/** What the CRD generator needs to know about one resource kind besides its schemas. */
export interface CrdKind {
  kind: 'TaskQueue' | 'WorkerPool' | 'Schedule';
  plural: string;
  singular: string;
  shortNames: string[];
  /** The whole resource (its description becomes the CRD's). */
  resource: z.ZodType;
  spec: z.ZodType;
  status: z.ZodType;
  /** False when every spec field has a default (spec may be omitted). */
  specRequired: boolean;
  printerColumns: PrinterColumn[];
  /** CEL rules on the whole object (they may read metadata.name). */
  rootValidations: CelValidation[];
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since creation.' };
const ready: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'Ready condition.',
};

/** The three Taskyard kinds, in the order their CRDs are rendered. */
export const crdKinds: readonly CrdKind[] = [
  {
    kind: 'TaskQueue',
    plural: 'taskqueues',
    singular: 'taskqueue',
    shortNames: ['tq'],
    resource: taskQueueSchema,
    spec: taskQueueSpecSchema,
    status: taskQueueStatusSchema,
    specRequired: false,
    printerColumns: [
      { name: 'Waiting', type: 'integer', jsonPath: '.status.counts.waiting', description: 'Tasks ready to run.' },
      { name: 'Active', type: 'integer', jsonPath: '.status.counts.active', description: 'Tasks running.' },
      { name: 'Delayed', type: 'integer', jsonPath: '.status.counts.delayed', description: 'Tasks waiting for a delay.', priority: 1 },
      { name: 'Failed', type: 'integer', jsonPath: '.status.counts.failed', description: 'Failed tasks kept.' },
      { name: 'Dead', type: 'integer', jsonPath: '.status.counts.dead', description: 'Tasks in the dead-letter queue.', priority: 1 },
      { name: 'Workers', type: 'integer', jsonPath: '.status.activeWorkers', description: 'Workers consuming the queue.', priority: 1 },
      { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused', description: 'Whether workers start tasks.' },
      ready,
      age,
    ],
    rootValidations: [
      {
        rule: "!self.metadata.name.endsWith('.dead')",
        message: 'metadata.name must not end in ".dead": that suffix names the dead-letter queue of another queue',
        reason: 'FieldValueInvalid',
      },
    ],
  },
  {
    kind: 'WorkerPool',
    plural: 'workerpools',
    singular: 'workerpool',
    shortNames: ['wp'],
    resource: workerPoolSchema,
    spec: workerPoolSpecSchema,
    status: workerPoolStatusSchema,
    specRequired: true,
    printerColumns: [
      { name: 'Queues', type: 'string', jsonPath: '.spec.queues', description: 'Queues consumed, highest priority first.' },
      { name: 'Concurrency', type: 'integer', jsonPath: '.spec.concurrency', description: 'Tasks per replica.', priority: 1 },
      { name: 'Desired', type: 'integer', jsonPath: '.status.desiredReplicas', description: 'Replicas wanted.' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas', description: 'Replicas ready.' },
      { name: 'Backlog', type: 'integer', jsonPath: '.status.backlog', description: 'Tasks waiting or running at the last poll.', priority: 1 },
      { name: 'Scaled', type: 'date', jsonPath: '.status.lastScaleTime', description: 'Last scale change.', priority: 1 },
      age,
    ],
    rootValidations: [],
  },
  {
    kind: 'Schedule',
    plural: 'schedules',
    singular: 'schedule',
    shortNames: ['sch'],
    resource: scheduleSchema,
    spec: scheduleSpecSchema,
    status: scheduleStatusSchema,
    specRequired: true,
    printerColumns: [
      { name: 'Task', type: 'string', jsonPath: '.spec.task', description: 'Task sent.', priority: 1 },
      { name: 'Queue', type: 'string', jsonPath: '.spec.queue', description: 'Queue the task goes to.', priority: 1 },
      { name: 'Cron', type: 'string', jsonPath: '.spec.cron', description: 'Cron schedule.' },
      { name: 'Every', type: 'string', jsonPath: '.spec.every', description: 'Fixed interval.' },
      { name: 'TimeZone', type: 'string', jsonPath: '.spec.timeZone', description: 'Time zone of cron.', priority: 1 },
      { name: 'Suspend', type: 'boolean', jsonPath: '.spec.suspend', description: 'Whether ticks are skipped.' },
      { name: 'Last', type: 'date', jsonPath: '.status.lastScheduleTime', description: 'Last tick that sent a task.' },
      { name: 'Next', type: 'string', jsonPath: '.status.nextScheduleTime', description: 'Next tick (RFC 3339; a string column because kubectl shows future dates as <invalid>).' },
      age,
    ],
    rootValidations: [],
  },
];
