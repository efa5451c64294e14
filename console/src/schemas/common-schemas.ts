import { z } from 'zod';

/** A BullMQ queue name as Taskyard uses it (no `:`, which BullMQ uses as key separator). */
export const QueueNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only, starting with a letter or digit');

/** A task id (BullMQ job id): no `:`. */
export const TaskIdSchema = z.string().min(1).max(512).regex(/^[^:]+$/, 'must not contain ":"');

/** `?page=&pageSize=` of every listing; page counts from 1. */
export const PageQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

export const TaskErrorViewSchema = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
});
