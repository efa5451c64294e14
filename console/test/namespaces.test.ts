import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsoleHandle } from '../src/index.js';
import type { QueueView } from '../src/schemas/queue-schemas.js';
import type { TaskDetail, TaskSummary } from '../src/schemas/task-schemas.js';
import { call, dropPrefix, randomPrefix, startTestConsole } from './helpers/console-fixture.js';

// A queue is a namespace + name: the console (which runs in one namespace and serves all) keeps
// `team-a/jobs` and `team-b/jobs` apart everywhere, and finds a task by its id within a namespace.
const prefix = randomPrefix();
let handle: ConsoleHandle;
type Enqueued = { id: string; queue: string; state: string };

const enqueue = async (body: Record<string, unknown>): Promise<Enqueued> => {
  const r = await call<Enqueued>(handle.url, 'POST', '/api/tasks', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

before(async () => {
  handle = await startTestConsole(prefix);
});

after(async () => {
  await handle?.close();
  await dropPrefix(prefix);
});

describe('queues of the same name in two namespaces', () => {
  let a1: Enqueued;
  let b1: Enqueued;
  before(async () => {
    a1 = await enqueue({ name: 'reports.build', args: ['a', 1], queue: 'team-a/jobs' });
    await enqueue({ name: 'reports.build', args: ['a', 2], queue: 'team-a/jobs' });
    b1 = await enqueue({ name: 'reports.build', args: ['b', 1], queue: 'team-b/jobs' });
  });

  test('are listed apart, each with its namespace and its own counts', async () => {
    assert.equal(a1.queue, 'team-a/jobs');
    assert.equal(b1.queue, 'team-b/jobs');
    const r = await call<{ items: QueueView[] }>(handle.url, 'GET', '/api/queues');
    const a = r.body.items.find((q) => q.name === 'team-a/jobs');
    const b = r.body.items.find((q) => q.name === 'team-b/jobs');
    assert.equal(a?.namespace, 'team-a');
    assert.equal(b?.namespace, 'team-b');
    // Every task has a priority (default 5), so BullMQ keeps them in its prioritized list.
    const queued = (q: QueueView | undefined) => (q ? q.counts.waiting + q.counts.prioritized : undefined);
    assert.equal(queued(a), 2);
    assert.equal(queued(b), 1);
    assert.ok(!r.body.items.some((q) => q.name.endsWith('.dead') || q.name === 'default/jobs'));
    const one = await call<QueueView>(handle.url, 'GET', `/api/queues/${encodeURIComponent('team-b/jobs')}`);
    assert.equal(one.status, 200);
    assert.equal(queued(one.body), 1);
    const unknown = await call(handle.url, 'GET', '/api/queues/jobs');
    assert.equal(unknown.status, 404, '"jobs" alone is default/jobs, which was never used');
  });

  test('are found again by a console started later (SCAN discovery, not only what it enqueued)', async () => {
    const fresh = await startTestConsole(prefix);
    try {
      const r = await call<{ items: QueueView[] }>(fresh.url, 'GET', '/api/queues');
      assert.deepEqual(r.body.items.map((q) => q.name).filter((n) => n.endsWith('/jobs')), ['team-a/jobs', 'team-b/jobs']);
    } finally {
      await fresh.close();
    }
  });

  test('list their tasks apart', async () => {
    const r = await call<{ queue: string; items: TaskSummary[] }>(handle.url, 'GET', `/api/tasks?queue=${encodeURIComponent('team-b/jobs')}&state=prioritized`);
    assert.equal(r.status, 200);
    assert.equal(r.body.queue, 'team-b/jobs');
    assert.deepEqual(r.body.items.map((t) => t.id), [b1.id]);
    assert.equal(r.body.items[0]?.queue, 'team-b/jobs');
  });

  test('find a task by id within its namespace only', async () => {
    const found = await call<TaskDetail>(handle.url, 'GET', `/api/tasks/${encodeURIComponent(a1.id)}?namespace=team-a`);
    assert.equal(found.status, 200);
    assert.equal(found.body.queue, 'team-a/jobs');
    assert.deepEqual(found.body.args, ['a', 1]);
    const elsewhere = await call(handle.url, 'GET', `/api/tasks/${encodeURIComponent(a1.id)}?namespace=team-b`);
    assert.equal(elsewhere.status, 404);
    const bad = await call(handle.url, 'GET', `/api/tasks/${encodeURIComponent(a1.id)}?namespace=team%2Fa`);
    assert.equal(bad.status, 400);
  });

  test('take the same task id in each namespace, and revoke one without touching the other', async () => {
    const inA = await enqueue({ name: 'reports.build', args: ['same', 'a'], queue: 'team-a/jobs', taskId: 'report-2026-03' });
    const inB = await enqueue({ name: 'reports.build', args: ['same', 'b'], queue: 'team-b/jobs', taskId: 'report-2026-03' });
    assert.equal(inA.id, inB.id);
    const revoked = await call<{ state: string }>(handle.url, 'POST', '/api/tasks/report-2026-03/revoke?namespace=team-a', {});
    assert.equal(revoked.status, 202, JSON.stringify(revoked.body));
    assert.equal(revoked.body.state, 'REVOKED');
    const b = await call<TaskDetail>(handle.url, 'GET', '/api/tasks/report-2026-03?namespace=team-b');
    assert.equal(b.body.state, 'PENDING');
    assert.deepEqual(b.body.args, ['same', 'b']);
  });
});
