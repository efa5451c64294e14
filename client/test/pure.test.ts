import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskStateFrom } from '@taskyard/api';
import { RouteTable, checkJsonArgs, readQueuePolicy } from '../src/index.js';

describe('taskStateFrom (BullMQ state + markers -> Celery state)', () => {
  it('maps every BullMQ state', () => {
    assert.equal(taskStateFrom('completed'), 'SUCCESS');
    assert.equal(taskStateFrom('failed'), 'FAILURE');
    assert.equal(taskStateFrom('active'), 'STARTED');
    assert.equal(taskStateFrom('waiting'), 'PENDING');
    assert.equal(taskStateFrom('prioritized'), 'PENDING');
    assert.equal(taskStateFrom('waiting-children'), 'PENDING');
    assert.equal(taskStateFrom('unknown'), 'PENDING');
    assert.equal(taskStateFrom('delayed'), 'PENDING');
    assert.equal(taskStateFrom('delayed', { attemptsMade: 1 }), 'RETRY');
  });

  it('reports REVOKED from the marker or the revoke/expiry error, but never over a finished result or a running task', () => {
    assert.equal(taskStateFrom('waiting', { markerState: 'REVOKED' }), 'REVOKED');
    assert.equal(taskStateFrom('unknown', { markerState: 'REVOKED' }), 'REVOKED');
    assert.equal(taskStateFrom('failed', { errorName: 'TaskExpired' }), 'REVOKED');
    assert.equal(taskStateFrom('failed', { errorName: 'TaskRevoked' }), 'REVOKED');
    assert.equal(taskStateFrom('completed', { markerState: 'REVOKED' }), 'SUCCESS');
    assert.equal(taskStateFrom('active', { markerState: 'REVOKED' }), 'STARTED');
  });
});

describe('checkJsonArgs', () => {
  it('accepts JSON values, shared (non-circular) references and Dates', () => {
    const shared = { a: 1 };
    checkJsonArgs('t', [1, 'a', null, true, [shared, shared], new Date()], { nested: { deep: [1, { x: null }] } });
  });
});

describe('RouteTable', () => {
  it('matches exact names, globs and regexps in order', () => {
    const routes = new RouteTable({ 'a.b': 'q1', 'a.*': 'q2', '*': 'q3' });
    assert.equal(routes.queueFor('a.b'), 'q1');
    assert.equal(routes.queueFor('a.c'), 'q2');
    assert.equal(routes.queueFor('zzz'), 'q3');
    assert.equal(new RouteTable([[/^x/, 'qx']]).queueFor('y'), undefined);
  });
});

describe('readQueuePolicy', () => {
  it('gives the QueuePolicy defaults when there is no policy', () => {
    const p = readQueuePolicy(undefined);
    assert.equal(p.attempts, 4);
    assert.equal(p.maxPayloadBytes, 262144);
    assert.equal(p.resultTTL, 86_400_000);
    assert.equal(p.failedTTL, 7 * 86_400_000);
    assert.deepEqual(p.backoff, { type: 'exponential', delay: 1000, maxDelay: 600_000, jitter: true });
    assert.equal(p.paused, false);
    assert.equal(p.deadLetter.enabled, true);
    assert.equal(p.autoretryFor, undefined);
  });

  it('reads durations as strings or ms and ignores unknown fields', () => {
    const p = readQueuePolicy({
      defaults: { attempts: 2, timeLimit: { soft: '30s', hard: 60000 }, expires: '5m', backoff: { type: 'fixed', delay: '2s' }, autoretryFor: ['X'] },
      rateLimit: { max: 10, duration: '1m' },
      concurrency: 3,
      paused: true,
      deadLetter: { enabled: false, ttl: '1d' },
      somethingNew: 1,
    });
    assert.equal(p.attempts, 2);
    assert.deepEqual(p.timeLimit, { soft: 30_000, hard: 60_000 });
    assert.equal(p.expires, 300_000);
    assert.deepEqual(p.backoff, { type: 'fixed', delay: 2000, maxDelay: 600_000, jitter: true });
    assert.deepEqual(p.autoretryFor, ['X']);
    assert.deepEqual(p.rateLimit, { max: 10, duration: 60_000 });
    assert.equal(p.concurrency, 3);
    assert.equal(p.paused, true);
    assert.deepEqual(p.deadLetter, { enabled: false, ttl: 86_400_000 });
  });
});

describe('taskPriority: 1 (highest) to 10 (lowest), default 5', () => {
  it('gives a task without a priority the middle one, and checks the range', async () => {
    const { taskPriority, DEFAULT_PRIORITY } = await import('../src/task-priority.js');
    assert.equal(DEFAULT_PRIORITY, 5);
    assert.equal(taskPriority('t', undefined), 5);
    assert.equal(taskPriority('t', 1), 1);
    assert.equal(taskPriority('t', 10), 10);
    for (const bad of [0, 11, 2.5, -1, Number.NaN]) {
      assert.throws(() => taskPriority('t', bad), /task "t": priority must be an integer from 1 \(highest\) to 10 \(lowest\)/);
    }
  });
});

describe('clientNamespace: option, else $TASKYARD_NAMESPACE, else $POD_NAMESPACE, else default', () => {
  it('takes the first that is set and refuses a name that would break the hash tags', async () => {
    const { clientNamespace } = await import('../src/client-namespace.js');
    assert.equal(clientNamespace('team-a', { TASKYARD_NAMESPACE: 'x', POD_NAMESPACE: 'y' }), 'team-a');
    assert.equal(clientNamespace(undefined, { TASKYARD_NAMESPACE: 'x', POD_NAMESPACE: 'y' }), 'x');
    assert.equal(clientNamespace(undefined, { POD_NAMESPACE: 'y' }), 'y');
    assert.equal(clientNamespace(undefined, {}), 'default');
    assert.throws(() => clientNamespace('a/b', {}), /option namespace: namespace name "a\/b" must not contain/);
  });
});
