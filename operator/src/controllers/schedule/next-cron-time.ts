import cronParser from 'cron-parser';

/** The first time after `after` a 5-field cron expression fires in `timeZone`. Pure. */
export function nextCronTime(cron: string, timeZone: string, after: Date): Date {
  return cronParser.parseExpression(cron, { currentDate: after, tz: timeZone }).next().toDate();
}
