import { z } from 'zod';

export const WorkerViewSchema = z.object({
  id: z.string(),
  pool: z.string().optional(),
  pod: z.string().optional(),
  namespace: z.string().optional().describe('namespace whose queues it consumes'),
  host: z.string().optional(),
  pid: z.number().int().optional(),
  queues: z.array(z.string()).describe('queue names within its namespace'),
  tasks: z.array(z.string()).optional().describe('task names its bundle defines'),
  concurrency: z.number().int().optional(),
  active: z.array(z.string()).describe('ids of the tasks it runs now'),
  startedAt: z.number().int().optional(),
  lastHeartbeat: z.number().int(),
  alive: z.boolean().describe('its registry entry (TTL 30 s) is still there and its last heartbeat is under 30 s old'),
  draining: z.boolean().describe('shutting down: takes no new tasks, finishes the running ones'),
});
export type WorkerView = z.infer<typeof WorkerViewSchema>;

export const WorkerListResponseSchema = z.object({ items: z.array(WorkerViewSchema) });
