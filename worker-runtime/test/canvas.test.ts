import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskFailedError, chain, chord, group, task } from '@taskyard/client';
import { TestWorld } from './helpers.js';

describe('chain, group, chord (on BullMQ flows)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('chain passes each result as the first argument of the next task', async () => {
    await world.worker({ concurrency: 2 });
    const handle = await world.client.apply(chain(task('add', [1, 2]), task('double'), task('add', [10])));
    assert.equal(await handle.result({ timeout: 20_000 }), 16);
  });

  it('group runs tasks in parallel and returns their results in order', async () => {
    await world.worker({ concurrency: 3 });
    const g = await world.client.apply(group(task('slowAdd', [1, 0, 300]), task('slowAdd', [2, 0, 10]), task('slowAdd', [3, 0, 100])));
    assert.deepEqual(await g.results({ timeout: 20_000 }), [1, 2, 3]);
  });

  it('chord callback receives the header results in header order, not finish order', async () => {
    await world.worker({ concurrency: 4 });
    const handle = await world.client.apply(
      chord([task('slowAdd', [1, 0, 400]), task('slowAdd', [2, 0, 10]), task('slowAdd', [3, 0, 200]), task('slowAdd', [4, 0, 50])], task('collect', ['report'])),
    );
    assert.deepEqual(await handle.result({ timeout: 20_000 }), { label: 'report', results: [1, 2, 3, 4] });
  });

  it('chord callback waits (PENDING) until the whole header is done', async () => {
    const handle = await world.client.chord([task('add', [1, 1]), task('add', [2, 2])], task('collect', []));
    assert.equal((await handle.status()).state, 'PENDING');
    await world.worker();
    assert.deepEqual(await handle.result({ timeout: 20_000 }), { results: [2, 4] });
  });

  it('a failing header task fails the chord callback instead of leaving it waiting', async () => {
    await world.worker({ concurrency: 2 });
    const handle = await world.client.chord([task('add', [1, 1]), task('declined', [9])], task('collect', []));
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal((await handle.status()).state, 'FAILURE');
  });

  it('the failed chord callback carries the header task\'s id and its error (worker in another process)', async () => {
    await world.workerProcess({}, ['--concurrency', '2']);
    const handle = await world.client.chord([task('add', [1, 1]), task('declined', [9])], task('collect', []));
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    const status = await handle.status();
    assert.equal(status.state, 'FAILURE');
    assert.equal(status.error?.name, 'ChildTaskFailed');
    const header = await world.client.queue(world.queue).getJob(String((await world.client.queue(world.queue).getJob(handle.id))?.data.header?.[1]));
    assert.ok(header?.id, 'the failed header task is still there');
    assert.match(status.error?.message ?? '', new RegExp(`header task ${header.id} failed with PaymentDeclined: card declined for 9`));
    assert.equal(err.name, 'ChildTaskFailed');
    const dead = await world.client.deadLetters.list(world.queue);
    const callbackLetter = dead.find((d) => d.taskId === handle.id);
    assert.equal(callbackLetter?.error.name, 'ChildTaskFailed', 'the dead letter says the same as status');
  });

  it('a chain link after a failed task fails naming that task and its error', async () => {
    await world.workerProcess();
    const handle = await world.client.chain(task('declined', [3]), task('double', []));
    await handle.result({ timeout: 20_000 }).catch(() => undefined);
    const status = await handle.status();
    assert.equal(status.error?.name, 'ChildTaskFailed');
    assert.match(status.error?.message ?? '', /previous task of the chain \S+ failed with PaymentDeclined: card declined for 3/);
  });
});
