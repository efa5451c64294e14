import { z } from 'zod';
import { TaskErrorViewSchema } from './common-schemas.js';

export const DeadLetterViewSchema = z.object({
  id: z.string().describe('dead-letter entry id'),
  taskId: z.string(),
  queue: z.string(),
  name: z.string(),
  args: z.array(z.unknown()),
  kwargs: z.record(z.string(), z.unknown()),
  error: TaskErrorViewSchema,
  attemptsMade: z.number().int(),
  failedAt: z.number().int(),
  worker: z.string().optional(),
});
export type DeadLetterView = z.infer<typeof DeadLetterViewSchema>;

export const DeadLetterListResponseSchema = z.object({
  queue: z.string(),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  items: z.array(DeadLetterViewSchema),
});

export const DeadLetterSelectionSchema = z.strictObject({
  ids: z.array(z.string().min(1)).min(1).max(10_000).optional().describe('dead-letter entry ids; all entries when absent'),
});

export const ReplayResponseSchema = z.object({ replayed: z.number().int(), taskIds: z.array(z.string()) });
export const PurgeResponseSchema = z.object({ purged: z.number().int() });
