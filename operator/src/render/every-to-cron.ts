import { parseDuration } from '@taskyard/api';

/**
 * The cron expression firing exactly every `every`, when one exists: whole minutes dividing an hour
 * (`*\/5 * * * *`), whole hours dividing a day (`0 *\/6 * * *`) or one day (`0 0 * * *`). Anything else -
 * under a minute, 7m, 90s, 5h - has no exact cron form and returns undefined: such schedules run as a
 * BullMQ job scheduler instead of a CronJob. Pure.
 */
export function everyToCron(every: string): string | undefined {
  const ms = parseDuration(every);
  const minute = 60_000;
  const hour = 60 * minute;
  if (ms < minute || ms % minute !== 0) return undefined;
  const minutes = ms / minute;
  if (minutes < 60) return 60 % minutes === 0 ? (minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`) : undefined;
  if (ms % hour !== 0) return undefined;
  const hours = ms / hour;
  if (hours < 24) return 24 % hours === 0 ? (hours === 1 ? '0 * * * *' : `0 */${hours} * * *`) : undefined;
  return hours === 24 ? '0 0 * * *' : undefined;
}
