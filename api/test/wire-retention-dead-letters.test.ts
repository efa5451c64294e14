import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Queue, Worker } from 'bullmq';
import {
  DeadLetterQueue,
  bullQueueName,
  connectRedis,
  recordTaskExpiry,
  sweepExpiredTasks,
  taskExpiry,
  taskyardKeys,
} from '../src/wire/index.js';
import type { TaskMessage } from '../src/index.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('wire/retention and wire/dead-letters against a real Redis', () => {
  const conn = connectRedis(url, { role: 'worker' });
  const keys = taskyardKeys(`t${randomUUID().slice(0, 8)}`);
  const ref = { namespace: 'team-a', name: `q${randomUUID().slice(0, 6)}` };
  let queue: Queue;
  before(async () => {
    if (conn.status !== 'ready') await new Promise((r) => conn.once('ready', r));
    queue = new Queue(bullQueueName(ref), { connection: conn, prefix: keys.prefix });
  });
  after(async () => {
    await queue.close();
    const found = await conn.keys(`${keys.prefix}:*`);
    for (const k of found) await conn.del(k);
    conn.disconnect();
  });

  /** Runs the given jobs to completion (or failure for names starting with "fail") with a real BullMQ worker. */
  async function runAll(ids: string[]): Promise<void> {
    for (const id of ids) await queue.add(id.startsWith('fail') ? 'fail' : 'ok', {}, { jobId: id, removeOnComplete: false, removeOnFail: false });
    const done = new Set<string>();
    const workerConn = connectRedis(url, { role: 'worker' });
    const worker = new Worker(bullQueueName(ref), async (job) => {
      if (job.name === 'fail') throw new Error('boom');
      return `result-${job.id}`;
    }, { connection: workerConn, prefix: keys.prefix });
    await new Promise<void>((resolve) => {
      const settle = (id: string | undefined): void => {
        if (id) done.add(id);
        if (ids.every((i) => done.has(i))) resolve();
      };
      worker.on('completed', (job) => settle(job.id));
      worker.on('failed', (job) => settle(job?.id));
    });
    await worker.close();
    workerConn.disconnect();
  }

  it('removes only the tasks whose own expiry passed, with their markers, and keeps REVOKED markers', async () => {
    await runAll(['keep-1', 'keep-2', 'short', 'fail-short', 'revoked-short']);
    const now = Date.now();
    for (const id of ['keep-1', 'keep-2']) await recordTaskExpiry(conn, keys, ref, id, now, 86_400_000);
    for (const id of ['short', 'fail-short', 'revoked-short']) await recordTaskExpiry(conn, keys, ref, id, now, 50);
    for (const id of ['keep-1', 'short', 'fail-short']) await conn.hset(keys.task(ref, id), 'name', 'x');
    await conn.hset(keys.task(ref, 'revoked-short'), 'state', 'REVOKED');

    assert.deepEqual(await sweepExpiredTasks(conn, keys, ref, { queue, now }), [], 'nothing is due yet');
    const removed = await sweepExpiredTasks(conn, keys, ref, { queue, now: now + 100 });
    assert.deepEqual(removed.sort(), ['fail-short', 'revoked-short', 'short']);
    for (const id of ['short', 'fail-short', 'revoked-short']) assert.equal(await queue.getJob(id), undefined, `${id} removed`);
    assert.equal(await conn.exists(keys.task(ref, 'short')), 0);
    assert.equal(await conn.hget(keys.task(ref, 'revoked-short'), 'state'), 'REVOKED');
    for (const id of ['keep-1', 'keep-2']) assert.equal((await queue.getJob(id))?.returnvalue, `result-${id}`);
    assert.equal(await conn.exists(keys.task(ref, 'keep-1')), 1);
    assert.equal(await taskExpiry(conn, keys, ref, 'short'), undefined);
    assert.ok((await taskExpiry(conn, keys, ref, 'keep-1')) ?? 0 > now);
  });

  it('does not remove a task that runs again after its entry was written, and honours the limit', async () => {
    await recordTaskExpiry(conn, keys, ref, 'waiting-again', Date.now() - 1000, 1);
    await queue.add('ok', {}, { jobId: 'waiting-again' });
    assert.deepEqual(await sweepExpiredTasks(conn, keys, ref, { queue }), []);
    assert.ok(await queue.getJob('waiting-again'), 'the re-added job stays');
    assert.equal(await taskExpiry(conn, keys, ref, 'waiting-again'), undefined, 'its stale entry is dropped');
    await queue.remove('waiting-again');

    await runAll(['l1', 'l2', 'l3']);
    for (const id of ['l1', 'l2', 'l3']) await recordTaskExpiry(conn, keys, ref, id, Date.now() - 10, 1);
    assert.equal((await sweepExpiredTasks(conn, keys, ref, { limit: 2 })).length, 2, 'opens its own Queue when given none');
    assert.equal((await sweepExpiredTasks(conn, keys, ref, { queue })).length, 1);
  });

  it('records, lists, counts, replays and purges dead letters', async () => {
    const dead = new DeadLetterQueue(conn, keys, ref);
    const message: TaskMessage = { v: 1, name: 'send', args: [1], kwargs: {}, enqueuedAt: Date.now() } as TaskMessage;
    const base = { taskId: 't1', namespace: ref.namespace, queue: ref.name, message, error: { name: 'WorkerLost', message: 'gone' }, attemptsMade: 3 };
    const id1 = await dead.record({ ...base, failedAt: 1000 });
    await dead.record({ ...base, taskId: 't2', failedAt: 2000 }, 3_600_000);
    assert.equal(await dead.count(), 2);
    const list = await dead.list();
    assert.deepEqual(list.map((e) => e.taskId).sort(), ['t1', 't2']);
    assert.equal(list.find((e) => e.id === id1)?.error.name, 'WorkerLost');
    await assert.rejects(dead.record({ ...base, failedAt: 'x' } as never), /failedAt/);

    const entry = list.find((e) => e.id === id1);
    assert.ok(entry);
    const replayed: Array<{ taskId: string; replayOf: string | undefined }> = [];
    await dead.replay(entry, queue, async (m, taskId) => {
      replayed.push({ taskId, replayOf: m.replayOf });
    });
    assert.deepEqual(replayed, [{ taskId: 't1', replayOf: id1 }]);
    assert.equal(await dead.count(), 1);
    await assert.rejects(dead.replay((await dead.list())[0]!, queue, async () => {
      throw new Error('add rejected');
    }), /add rejected/);
    assert.equal(await dead.count(), 1, 'a failed replay keeps the entry');
    assert.equal(await dead.purge(), 1);
    assert.equal(await dead.count(), 0);
    await dead.close();
    assert.equal(conn.status, 'ready', 'closing the dead-letter queue keeps the shared connection');
  });
});
