import { defineRoute, type Route } from '../http/route.js';
import { HttpError } from '../http/http-error.js';
import type { ConsoleContext } from '../data/console-context.js';
import { ScheduleListResponseSchema } from '../schemas/schedule-schemas.js';

/** Schedules, read from the Kubernetes API. */
export function scheduleRoutes(ctx: ConsoleContext): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/schedules',
      operationId: 'listSchedules',
      summary: 'Schedule resources with their next run (empty with a note outside a cluster)',
      tag: 'schedules',
      needsRedis: false,
      response: { status: 200, description: 'the schedules', schema: ScheduleListResponseSchema },
      async handle() {
        try {
          return await ctx.schedules.list();
        } catch (err) {
          throw new HttpError(503, 'kubernetes_unavailable', `cannot list Schedules from the Kubernetes API: ${(err as Error).message}`);
        }
      },
    }),
  ];
}
