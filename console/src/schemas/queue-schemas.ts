import { z } from 'zod';
import { QueueNameSchema } from './common-schemas.js';

export const QueueCountsSchema = z.object({
  waiting: z.number().int(),
  prioritized: z.number().int(),
  delayed: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  paused: z.number().int(),
  'waiting-children': z.number().int(),
  dead: z.number().int().describe('entries in the queue\'s dead-letter queue'),
});
export type QueueCounts = z.infer<typeof QueueCountsSchema>;

export const ThroughputPointSchema = z.object({ minute: z.number().int().describe('epoch ms of the minute start'), count: z.number().int() });

export const QueueViewSchema = z.object({
  name: z.string().describe('the queue as "namespace/name" (URL-encode it in paths)'),
  namespace: z.string().describe('its Kubernetes namespace'),
  paused: z.boolean(),
  counts: QueueCountsSchema,
  throughput: z.object({
    lastMinute: z.number().int().describe('tasks settled (completed + failed) in the last full minute'),
    perMinute: z.array(ThroughputPointSchema).describe('oldest first, the current minute last'),
  }),
  workers: z.number().int().describe('live workers consuming this queue'),
});
export type QueueView = z.infer<typeof QueueViewSchema>;

export const QueueListResponseSchema = z.object({ items: z.array(QueueViewSchema), at: z.number().int() });

export const QueueParamsSchema = z.strictObject({ queue: QueueNameSchema });

export const ThroughputQuerySchema = z.strictObject({
  minutes: z.coerce.number().int().min(1).max(120).default(60).describe('how many minutes of history (the runtime keeps 2 h)'),
});
