import type { QueueRef } from '@taskyard/api/wire';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleSchema } from '@taskyard/api';
import { jobSchedulerId, jobSchedulerTemplate } from '../src/controllers/schedule/job-scheduler-template.js';
import { nextCronTime } from '../src/controllers/schedule/next-cron-time.js';
import { deletionCosts } from '../src/controllers/worker-pool/deletion-costs.js';
import { poolBacklog } from '../src/controllers/worker-pool/pool-backlog.js';
import { queueRedisPodSource } from '../src/controllers/resolve-queue-redis.js';

describe('job scheduler template', () => {
  const schedule = scheduleSchema.parse({
    apiVersion: 'taskyard.dev/v1alpha1',
    kind: 'Schedule',
    metadata: { name: 'sync', namespace: 'ns', uid: 'u-1' },
    spec: { queue: 'reports', task: 'sync_data', every: '30s', kwargs: { source: 'crm' }, options: { priority: 3, attempts: 2 } },
  });

  it('carries a task message for the runtime and the job options the SDK would set', () => {
    const t = jobSchedulerTemplate(schedule, { resultTTL: '1d', failedTTL: '7d' });
    assert.equal(t.name, 'sync_data');
    assert.deepEqual(t.data, { v: 1, name: 'sync_data', args: [], kwargs: { source: 'crm' }, enqueuedAt: 0, scheduleId: 'u-1', options: { attempts: 2 } });
    assert.deepEqual(t.opts, { attempts: 2, backoff: { type: 'taskyard' }, priority: 3, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 604_800 } });
    assert.equal(jobSchedulerId(schedule), 'taskyard-schedule-u-1');
  });
});

describe('nextCronTime', () => {
  it('follows the time zone', () => {
    const after = new Date('2026-06-01T00:30:00Z');
    assert.equal(nextCronTime('0 3 * * *', 'UTC', after).toISOString(), '2026-06-01T03:00:00.000Z');
    // 03:00 in Paris (UTC+2 in June) is 01:00 UTC.
    assert.equal(nextCronTime('0 3 * * *', 'Europe/Paris', after).toISOString(), '2026-06-01T01:00:00.000Z');
  });
});

describe('deletionCosts', () => {
  it('costs a pod its running tasks and an idle one nothing', () => {
    const costs = deletionCosts(['a', 'b', 'c'], new Map([['b', 3]]));
    assert.deepEqual([...costs], [['a', 0], ['b', 3], ['c', 0]]);
  });
});

describe('poolBacklog', () => {
  it('sums the queues and counts only running tasks of a paused queue', async () => {
    const depths: Record<string, { waiting: number; prioritized: number; active: number }> = {
      'ns1/a': { waiting: 5, prioritized: 1, active: 2 },
      'ns1/b': { waiting: 100, prioritized: 4, active: 1 },
      'ns2/a': { waiting: 1000, prioritized: 1000, active: 1000 },
    };
    const source = { depth: async (q: QueueRef) => depths[`${q.namespace}/${q.name}`] ?? { waiting: 0, prioritized: 0, active: 0 } };
    const queues = [
      { ref: { namespace: 'ns1', name: 'a' }, paused: false },
      { ref: { namespace: 'ns1', name: 'b' }, paused: true },
    ];
    // Queue "a" of ns2 is another queue: its depth does not count for a pool of ns1.
    assert.deepEqual(await poolBacklog(source, queues), { waiting: 5, prioritized: 1, active: 3 });
  });
});

describe('queueRedisPodSource', () => {
  it('points pods at the queue Secret, else at the default URL', () => {
    assert.deepEqual(queueRedisPodSource({ secretName: 's', key: 'url' }, { redisUrl: 'redis://a', workerRedisUrl: 'redis://b' }), { secretKeyRef: { name: 's', key: 'url' } });
    assert.deepEqual(queueRedisPodSource(undefined, { redisUrl: 'redis://a', workerRedisUrl: 'redis://b' }), { value: 'redis://b' });
    assert.throws(() => queueRedisPodSource(undefined, { redisUrl: undefined, workerRedisUrl: undefined }), /TASKYARD_REDIS_URL/);
  });
});
