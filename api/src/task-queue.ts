import { z } from 'zod';
import { API_GROUP_VERSION } from './api-group.js';
import { conditionsSchema } from './condition.js';
import { kubeNameSchema } from './kube-name.js';
import { objectMetaSchema } from './object-meta.js';
import { queuePolicyShape } from './queue-policy.js';
import { DEAD_LETTER_SUFFIX } from './wire/keys.js';

/** Where a queue's Redis is: a Secret holding its URL. Absent: the operator's default connection. */
export const redisConnectionSchema = z
  .strictObject({
    /** Secret in the TaskQueue's namespace. */
    secretName: kubeNameSchema.describe("Secret in the TaskQueue's namespace holding the Redis URL."),
    /**
     * Key of the URL in the Secret: `redis://`, `rediss://`, `redis-sentinel://` or `redis-cluster://`.
     * Default `url`.
     */
    key: z
      .string()
      .min(1)
      .max(253)
      .default('url')
      .describe('Key of the URL in the Secret (redis://, rediss://, redis-sentinel://, redis-cluster://). Default url.'),
  })
  .describe("Redis of this queue: a Secret's key holding the URL. Absent: the operator's default connection.");

export type RedisConnection = z.infer<typeof redisConnectionSchema>;

export const taskQueueSpecSchema = z
  .strictObject({
    redis: redisConnectionSchema.optional(),
    ...queuePolicyShape,
    /** What deleting the TaskQueue does to its Redis data: `Retain` keeps it, `Delete` obliterates it. Default `Retain`. */
    deletionPolicy: z
      .enum(['Retain', 'Delete'])
      .default('Retain')
      .describe('Deleting the TaskQueue: Retain keeps its Redis data, Delete obliterates it. Default Retain.'),
  })
  .describe('A BullMQ queue and its policy.');

export type TaskQueueSpec = z.infer<typeof taskQueueSpecSchema>;
/** A spec as written by a user, before defaults. */
export type TaskQueueSpecInput = z.input<typeof taskQueueSpecSchema>;

/** Task counts of the queue, as BullMQ reports them, plus the dead-letter queue's. */
export const taskCountsSchema = z
  .strictObject({
    waiting: z.int().min(0).describe('Tasks ready to run.'),
    prioritized: z.int().min(0).describe('Tasks ready to run, with a priority.'),
    active: z.int().min(0).describe('Tasks running.'),
    delayed: z.int().min(0).describe('Tasks waiting for a countdown, eta or retry delay.'),
    failed: z.int().min(0).describe('Tasks that failed (kept failedTTL).'),
    completed: z.int().min(0).describe('Tasks that succeeded (kept resultTTL).'),
    dead: z.int().min(0).describe('Tasks in the dead-letter queue.'),
  })
  .describe('Task counts.');

export type TaskCounts = z.infer<typeof taskCountsSchema>;

export const taskQueueStatusSchema = z
  .strictObject({
    conditions: conditionsSchema.optional(),
    /** metadata.generation this status was computed from. */
    observedGeneration: z.int().min(0).optional().describe('metadata.generation this status was computed from.'),
    counts: taskCountsSchema.optional(),
    /** Workers consuming the queue (heartbeat within the last 30 s). */
    activeWorkers: z.int().min(0).optional().describe('Workers consuming the queue (recent heartbeat).'),
    /** Tasks settled (completed + failed) in the last full minute. */
    throughputPerMinute: z.int().min(0).optional().describe('Tasks settled (completed + failed) in the last full minute.'),
  })
  .describe('Observed state of the queue, written by the operator.');

export type TaskQueueStatus = z.infer<typeof taskQueueStatusSchema>;

export const taskQueueSchema = z
  .strictObject({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal('TaskQueue'),
    metadata: objectMetaSchema.refine((meta) => !meta.name.endsWith(DEAD_LETTER_SUFFIX), {
      message: 'must not end in ".dead": that suffix names the dead-letter queue of another queue',
      path: ['name'],
    }),
    spec: taskQueueSpecSchema.prefault({}),
    status: taskQueueStatusSchema.optional(),
  })
  .describe('TaskQueue: one BullMQ queue and its policy.');

export type TaskQueue = z.infer<typeof taskQueueSchema>;
export type TaskQueueInput = z.input<typeof taskQueueSchema>;
