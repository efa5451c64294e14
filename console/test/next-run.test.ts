import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRun } from '../src/schedules/next-run.js';

const now = new Date('2026-03-10T10:07:30Z');

test('cron runs next at the following matching minute in UTC by default', () => {
  assert.equal(nextRun({ cron: '*/15 * * * *' }, now), '2026-03-10T10:15:00.000Z');
});

test('cron is evaluated in its time zone', () => {
  // 03:00 in Paris (UTC+1 in March before DST) is 02:00 UTC the next day
  assert.equal(nextRun({ cron: '0 3 * * *', timeZone: 'Europe/Paris' }, now), '2026-03-11T02:00:00.000Z');
});

test('every ticks on the grid of its interval', () => {
  assert.equal(nextRun({ every: '5m' }, now), '2026-03-10T10:10:00.000Z');
  assert.equal(nextRun({ every: '30s' }, now), '2026-03-10T10:08:00.000Z');
});

test("the operator's future nextScheduleTime wins over computing", () => {
  assert.equal(nextRun({ cron: '* * * * *', nextScheduleTime: '2026-03-10T11:00:00Z' }, now), '2026-03-10T11:00:00.000Z');
});

test('a stale nextScheduleTime is ignored', () => {
  assert.equal(nextRun({ cron: '* * * * *', nextScheduleTime: '2026-03-10T09:00:00Z' }, now), '2026-03-10T10:08:00.000Z');
});

test('suspended schedules and broken specs have no next run', () => {
  assert.equal(nextRun({ cron: '* * * * *', suspend: true }, now), undefined);
  assert.equal(nextRun({ cron: 'not a cron' }, now), undefined);
  assert.equal(nextRun({ every: 'soon' }, now), undefined);
  assert.equal(nextRun({}, now), undefined);
});
