import cronParser from 'cron-parser';
import { parseDuration } from '@taskyard/api';

export interface NextRunInputs {
  cron?: string | undefined;
  timeZone?: string | undefined;
  every?: string | undefined;
  suspend?: boolean | undefined;
  /** status.nextScheduleTime written by the operator, if any. */
  nextScheduleTime?: string | undefined;
}

/**
 * When a Schedule ticks next (ISO), or undefined when suspended or not computable. The operator's
 * status wins while it is in the future; otherwise cron is evaluated in its time zone (UTC by
 * default) and `every` on BullMQ's grid (multiples of the interval since the epoch). Pure.
 */
export function nextRun(spec: NextRunInputs, now: Date): string | undefined {
  if (spec.suspend) return undefined;
  if (spec.nextScheduleTime && Date.parse(spec.nextScheduleTime) > now.getTime()) return new Date(spec.nextScheduleTime).toISOString();
  if (spec.cron) {
    try {
      const it = cronParser.parseExpression(spec.cron, { currentDate: now, tz: spec.timeZone ?? 'UTC' });
      return it.next().toDate().toISOString();
    } catch {
      return undefined;
    }
  }
  if (spec.every) {
    try {
      const ms = parseDuration(spec.every);
      return new Date((Math.floor(now.getTime() / ms) + 1) * ms).toISOString();
    } catch {
      return undefined;
    }
  }
  return undefined;
}
