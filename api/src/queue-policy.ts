import { z } from 'zod';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './runtime-env.js';
import { durationSchema } from './duration.js';
import { taskDefaultsSchema } from './task-defaults.js';

/** Queue-wide rate limit, shared by all workers of the queue (BullMQ limiter). */
export const rateLimitSchema = z
  .strictObject({
    /** Tasks started at most per `duration`, across every worker. */
    max: z.int().min(1).max(1_000_000).describe('Tasks started at most per duration, across every worker.'),
    /** Window of the limit. */
    duration: durationSchema.describe('Window of the limit, e.g. 1s or 1m.'),
  })
  .describe('Queue-wide rate limit across all workers. No default: unlimited.');

export type RateLimit = z.infer<typeof rateLimitSchema>;

/** Dead-letter queue `<queue>.dead`: where a task goes after its last failed attempt. */
export const deadLetterSchema = z
  .strictObject({
    /** Move tasks that failed every attempt to `<queue>.dead`. Default true. */
    enabled: z.boolean().default(true).describe('Move tasks that failed every attempt to <queue>.dead. Default true.'),
    /** How long a dead letter is kept. Default `14d`. */
    ttl: durationSchema.default('14d').describe('How long a dead letter is kept. Default 14d.'),
  })
  .describe('Dead-letter queue <queue>.dead. Default enabled, kept 14d.');

export type DeadLetter = z.infer<typeof deadLetterSchema>;

/**
 * The fields of a TaskQueue spec that workers and clients act on. The TaskQueue spec is this plus
 * `redis` and `deletionPolicy` (which only the operator reads).
 */
export const queuePolicyShape = {
  /** Per-task defaults. */
  defaults: taskDefaultsSchema.prefault({}),
  /** Queue-wide rate limit. Default: none. */
  rateLimit: rateLimitSchema.optional(),
  /** Tasks running at once on the whole queue, across every worker (BullMQ global concurrency). Default: no cap. */
  concurrency: z
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe('Tasks running at once on the whole queue, across all workers. No default: no cap.'),
  /** Paused queues accept tasks but workers start none. Default false. */
  paused: z.boolean().default(false).describe('A paused queue accepts tasks but workers start none. Default false.'),
  /** Dead-letter queue. Default enabled, 14d. */
  deadLetter: deadLetterSchema.prefault({}),
  /** Largest JSON arguments (args + kwargs) accepted at enqueue. Default 262144 (256 KiB). */
  maxPayloadBytes: z
    .int()
    .min(1)
    .max(512 * 1024 * 1024)
    .default(DEFAULT_MAX_PAYLOAD_BYTES)
    .describe(`Largest JSON arguments (args + kwargs) accepted at enqueue, in bytes. Default ${DEFAULT_MAX_PAYLOAD_BYTES}.`),
};

/**
 * What the operator publishes for each TaskQueue at `P:{ns/q}:ty:policy` (wire/keys.ts, written by wire/queue-policy.ts), as
 * JSON, every default filled in: workers and clients read it instead of the Kubernetes API.
 * Durations stay strings; `parseDuration` gives milliseconds.
 */
export const queuePolicySchema = z.strictObject(queuePolicyShape);

export type QueuePolicy = z.infer<typeof queuePolicySchema>;
