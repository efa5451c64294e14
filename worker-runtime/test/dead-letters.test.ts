import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskFailedError } from '@taskyard/client';
import { DeadLetterQueue } from '@taskyard/api/wire';
import { TestWorld, waitFor } from './helpers.js';

describe('dead-letter queue <queue>.dead', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('a task failing all attempts lands in the dead-letter queue with its error and stack; replay runs it again', async () => {
    const worker = await world.worker();
    const handle = await world.client.enqueue('flaky', [2], { attempts: 2, kwargs: { order: 7 } });
    await handle.result({ timeout: 20_000 }).catch(() => undefined);
    const dead = await waitFor('dead letter', async () => {
      const list = await world.client.deadLetters.list(world.queue);
      return list.length > 0 ? list : undefined;
    });
    assert.equal(dead.length, 1);
    const [entry] = dead;
    assert.ok(entry);
    assert.equal(entry.taskId, handle.id);
    assert.equal(entry.queue, world.queue);
    assert.equal(entry.message.name, 'flaky');
    assert.deepEqual(entry.message.args, [2]);
    assert.deepEqual(entry.message.kwargs, { order: 7 });
    assert.equal(entry.error.name, 'TransientError');
    assert.equal(entry.error.message, 'attempt 2 failed');
    assert.match(entry.error.stack ?? '', /^TransientError: attempt 2 failed\n\s+at /);
    assert.equal(entry.attemptsMade, 2);
    assert.equal((await world.client.queueCounts(world.queue)).dead, 1);

    // replay: the third run succeeds (flaky fails twice in a row only while ctx.attempt <= 2; a replay starts at attempt 1 again)
    await worker.close();
    const replayed = await world.client.deadLetters.replay(world.queue, [entry.id]);
    assert.equal(replayed.length, 1);
    assert.equal(replayed[0]?.id, handle.id);
    assert.equal((await world.client.queueCounts(world.queue)).dead, 0);
    assert.equal((await handle.status()).state, 'PENDING');
    await world.worker();
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    // it ran again (attempts 1 and 2 fail again) and is dead-lettered again
    assert.ok(err instanceof TaskFailedError);
    await waitFor('dead again', async () => (await world.client.queueCounts(world.queue)).dead === 1);
  });

  it('replay with more attempts lets a dead task succeed', async () => {
    await world.worker();
    const handle = await world.client.enqueue('flaky', [1], { attempts: 1 });
    await handle.result({ timeout: 20_000 }).catch(() => undefined);
    const [entry] = await waitFor('dead letter', async () => {
      const list = await world.client.deadLetters.list(world.queue);
      return list.length > 0 ? list : undefined;
    });
    assert.ok(entry);
    // the bundle's flaky task fails on attempt 1 only; its message keeps attempts=1, so replay it with its options raised
    const redis = await world.redis();
    const dead = new DeadLetterQueue(redis, world.keys, world.ref());
    const redisEntry = await dead.queue.getJob(entry.id);
    assert.ok(redisEntry);
    const { id: _id, ...record } = entry;
    await redisEntry.updateData({ ...record, message: { ...entry.message, options: { attempts: 2, backoff: { type: 'fixed', delay: 10 } } } });
    await dead.close();
    redis.disconnect();
    await world.client.deadLetters.replay(world.queue);
    assert.deepEqual(await handle.result({ timeout: 20_000 }), { attempt: 2 });
  });

  it('purge empties the dead-letter queue', async () => {
    await world.worker();
    const a = await world.client.enqueue('declined', [1]);
    const b = await world.client.enqueue('declined', [2]);
    await Promise.all([a.result({ timeout: 20_000 }).catch(() => 0), b.result({ timeout: 20_000 }).catch(() => 0)]);
    await waitFor('two dead letters', async () => (await world.client.queueCounts(world.queue)).dead === 2);
    assert.equal(await world.client.deadLetters.purge(world.queue), 2);
    assert.equal((await world.client.queueCounts(world.queue)).dead, 0);
  });

  it('an unknown task name fails clearly and is kept in the dead-letter queue (nothing lost)', async () => {
    await world.worker();
    const handle = await world.client.enqueue('no.such.task', [1, 2], { kwargs: { k: 'v' } });
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'UnknownTask');
    assert.match(err.message, /no task named "no\.such\.task" in this worker's bundle \(it has: .*add.*\)/);
    const [entry] = await waitFor('dead letter', async () => {
      const list = await world.client.deadLetters.list(world.queue);
      return list.length > 0 ? list : undefined;
    });
    assert.deepEqual(entry?.message.args, [1, 2]);
    assert.deepEqual(entry?.message.kwargs, { k: 'v' });
  });

  it('does not dead-letter when the queue policy disables it', async () => {
    await world.setPolicy({ deadLetter: { enabled: false } });
    await world.worker();
    const handle = await world.client.enqueue('declined', [1]);
    await handle.result({ timeout: 20_000 }).catch(() => undefined);
    assert.equal((await world.client.queueCounts(world.queue)).dead, 0);
    assert.equal((await handle.status()).state, 'FAILURE');
  });
});
