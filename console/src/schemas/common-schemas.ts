import { z } from 'zod';
import { invalidNameReason } from '@taskyard/api/wire';

/**
 * A queue in text: `ns/q`, or `q` in the console's default namespace (api/src/wire/keys.ts). In a path it is
 * URL-encoded (`/api/queues/shop%2Femails`).
 */
export const QueueNameSchema = z
  .string()
  .min(1)
  .max(507)
  .superRefine((text, ctx) => {
    const slash = text.indexOf('/');
    const problem = slash < 0 ? invalidNameReason('queue', text) : (invalidNameReason('namespace', text.slice(0, slash)) ?? invalidNameReason('queue', text.slice(slash + 1)));
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; write a queue as ns/q or q` });
  })
  .describe('a queue: "namespace/name", or "name" in the console\'s default namespace');

/** A Kubernetes namespace name (the part of a queue before its `/`). */
export const NamespaceSchema = z
  .string()
  .superRefine((text, ctx) => {
    const problem = invalidNameReason('namespace', text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Kubernetes namespace of the task\'s queue; default: the console\'s default namespace');

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
