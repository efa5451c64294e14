import { z } from 'zod';

export const ScheduleViewSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  queue: z.string(),
  task: z.string(),
  cron: z.string().optional(),
  timeZone: z.string().optional(),
  every: z.string().optional(),
  suspend: z.boolean(),
  lastScheduleTime: z.string().optional(),
  lastTaskId: z.string().optional(),
  nextRun: z.string().optional().describe('ISO time of the next tick (status.nextScheduleTime, else computed)'),
  ready: z.string().optional().describe('status of the Ready condition'),
});
export type ScheduleView = z.infer<typeof ScheduleViewSchema>;

export const ScheduleListResponseSchema = z.object({
  source: z.enum(['kubernetes', 'none']),
  note: z.string().optional(),
  items: z.array(ScheduleViewSchema),
});
export type ScheduleListResponse = z.infer<typeof ScheduleListResponseSchema>;
