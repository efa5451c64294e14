import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleSchema, type ScheduleInput } from '@taskyard/api';
import { renderBeatCronJob, beatCronJobName } from '../src/render/render-beat-cron-job.js';
import { everyToCron } from '../src/render/every-to-cron.js';
import { schedulePlan } from '../src/render/schedule-plan.js';

function schedule(spec: Partial<ScheduleInput['spec']> = {}) {
  return scheduleSchema.parse({
    apiVersion: 'taskyard.dev/v1alpha1',
    kind: 'Schedule',
    metadata: { name: 'nightly-report', namespace: 'shop', uid: '6f1c-uid' },
    spec: { queue: 'reports', task: 'reports.nightly', cron: '0 3 * * *', args: [1, 'x'], kwargs: { full: true }, ...spec },
  } satisfies ScheduleInput);
}
const base = { cron: '0 3 * * *', timeZone: 'Europe/Paris', runtimeImage: 'taskyard/runtime:0.1.0', prefix: 'taskyard', redisUrl: { value: 'redis://r:6379' } };

describe('everyToCron and schedulePlan', () => {
  it('turns intervals cron can express into cron', () => {
    assert.equal(everyToCron('1m'), '* * * * *');
    assert.equal(everyToCron('5m'), '*/5 * * * *');
    assert.equal(everyToCron('60s'), '* * * * *');
    assert.equal(everyToCron('60m'), '0 * * * *');
    assert.equal(everyToCron('6h'), '0 */6 * * *');
    assert.equal(everyToCron('1d'), '0 0 * * *');
  });
  it('has no cron for intervals under a minute or that do not divide the hour or day', () => {
    for (const every of ['30s', '999ms', '90s', '7m', '5h', '2d']) assert.equal(everyToCron(every), undefined, every);
  });
  it('plans a CronJob for cron (UTC by default) and a job scheduler for sub-minute intervals', () => {
    assert.deepEqual(schedulePlan({ cron: '0  3 * * *' }), { kind: 'cronJob', cron: '0 3 * * *', timeZone: 'UTC' });
    assert.deepEqual(schedulePlan({ cron: '0 3 * * *', timeZone: 'Asia/Tokyo' }), { kind: 'cronJob', cron: '0 3 * * *', timeZone: 'Asia/Tokyo' });
    assert.deepEqual(schedulePlan({ every: '15m' }), { kind: 'cronJob', cron: '*/15 * * * *', timeZone: 'UTC' });
    assert.deepEqual(schedulePlan({ every: '10s' }), { kind: 'jobScheduler', everyMs: 10_000 });
    assert.deepEqual(schedulePlan({ every: '90s' }), { kind: 'jobScheduler', everyMs: 90_000 });
  });
});

describe('renderBeatCronJob', () => {
  it('renders a CronJob owned by the Schedule with its timing fields', () => {
    const c = renderBeatCronJob({ ...base, schedule: schedule({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 120, suspend: true }) });
    assert.equal(c.metadata?.name, 'nightly-report');
    assert.equal(c.metadata?.ownerReferences?.[0]?.kind, 'Schedule');
    assert.equal(c.metadata?.ownerReferences?.[0]?.controller, true);
    assert.equal(c.spec?.schedule, '0 3 * * *');
    assert.equal(c.spec?.timeZone, 'Europe/Paris');
    assert.equal(c.spec?.concurrencyPolicy, 'Forbid');
    assert.equal(c.spec?.startingDeadlineSeconds, 120);
    assert.equal(c.spec?.suspend, true);
  });

  it('leaves startingDeadlineSeconds out when unset and defaults to Allow, not suspended', () => {
    const c = renderBeatCronJob({ ...base, schedule: schedule() });
    assert.equal('startingDeadlineSeconds' in (c.spec ?? {}), false);
    assert.equal(c.spec?.concurrencyPolicy, 'Allow');
    assert.equal(c.spec?.suspend, false);
  });

  it('runs taskyard-worker enqueue with the task, its JSON arguments, the schedule id and the Job name', () => {
    const c = renderBeatCronJob({ ...base, schedule: schedule({ options: { priority: 2 } }) });
    const container = c.spec?.jobTemplate.spec?.template.spec?.containers[0];
    assert.deepEqual(container?.command, [
      'taskyard-worker', 'enqueue',
      '--queue', 'reports',
      '--task', 'reports.nightly',
      '--args', '[1,"x"]',
      '--kwargs', '{"full":true}',
      '--options', '{"priority":2}',
      '--schedule-id', '6f1c-uid',
      '--job-name', '$(JOB_NAME)',
    ]);
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    assert.deepEqual(env.JOB_NAME, { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } });
    assert.equal(env.TASKYARD_REDIS_URL, 'redis://r:6379');
    assert.equal(env.TASKYARD_PREFIX, 'taskyard');
    assert.equal(env.TASKYARD_NAMESPACE, 'shop');
  });

  it('runs the beat pod restricted with Never restarts', () => {
    const c = renderBeatCronJob({ ...base, schedule: schedule() });
    const pod = c.spec?.jobTemplate.spec?.template.spec;
    assert.equal(pod?.restartPolicy, 'Never');
    assert.equal(pod?.securityContext?.runAsNonRoot, true);
    assert.deepEqual(pod?.securityContext?.seccompProfile, { type: 'RuntimeDefault' });
    const sc = pod?.containers[0]?.securityContext;
    assert.equal(sc?.readOnlyRootFilesystem, true);
    assert.deepEqual(sc?.capabilities, { drop: ['ALL'] });
  });

  it('fits long Schedule names into the 52 characters CronJob names allow', () => {
    const name = beatCronJobName('x'.repeat(80));
    assert.ok(name.length <= 52);
    assert.equal(beatCronJobName('short'), 'short');
  });
});
