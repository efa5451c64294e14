import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { buildTimeline } from '../src/data/build-timeline.js';
import { errorNameOf } from '../src/data/error-name.js';

function job(fields: Partial<Job>): Job {
  return { queueName: 'q', timestamp: 1000, delay: 0, attemptsMade: 0, attemptsStarted: 0, data: {}, ...fields } as unknown as Job;
}

test('orders enqueue, due, start and finish from the job and revoke from the marker', () => {
  const t = buildTimeline(job({ timestamp: 1000, delay: 500, processedOn: 1600, finishedOn: 1900, failedReason: 'aborted', attemptsStarted: 1 }), { revokedAt: '1700', reason: 'revoked' }, 'REVOKED');
  assert.deepEqual(t.map((e) => [e.at, e.event]), [[1000, 'enqueued'], [1500, 'due'], [1600, 'started'], [1700, 'revoked'], [1900, 'revoked']]);
  assert.equal(t[3]?.detail, 'revoked');
});

test('a succeeded job ends with succeeded; marker fields that are not times are ignored', () => {
  const t = buildTimeline(job({ processedOn: 1100, finishedOn: 1200, attemptsStarted: 1 }), { queue: 'q', name: 'n', lastAt: 'x' }, 'SUCCESS');
  assert.deepEqual(t.map((e) => e.event), ['enqueued', 'started', 'succeeded']);
  assert.equal(t[2]?.detail, 'after 100 ms');
});

test('a task known only from its marker still has a timeline', () => {
  assert.deepEqual(buildTimeline(undefined, { revokedAt: '5' }, 'REVOKED'), [{ at: 5, event: 'revoked' }]);
});

test('error names come from the newest stack, else from the reason', () => {
  assert.equal(errorNameOf(['Error: old', 'TaskRevoked: aborted\n    at x'], 'aborted'), 'TaskRevoked');
  assert.equal(errorNameOf(undefined, 'SoftTimeLimitExceeded: too slow'), 'SoftTimeLimitExceeded');
  assert.equal(errorNameOf(null, 'plain words'), undefined);
});
