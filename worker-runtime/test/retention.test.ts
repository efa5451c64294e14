import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TestWorld, waitFor } from './helpers.js';

/** Issue 9, defect 1: retention is per task; one task's TTL never removes another task's result. */
describe('per-task retention (SDK in this process, worker in another)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('a task with resultTTL 2000 finishing after five others loses only its own result, after ~2 s, on a quiet queue', async () => {
    await world.workerProcess();
    const five = await Promise.all([1, 2, 3, 4, 5].map((i) => world.client.enqueue('add', [i, i], { idempotencyKey: `keep-${i}` })));
    for (const [i, h] of five.entries()) assert.equal(await h.result({ timeout: 20_000 }), 2 * (i + 1));
    const short = await world.client.enqueue('add', [10, 10], { idempotencyKey: 'short', resultTTL: 2000 });
    assert.equal(await short.result({ timeout: 20_000 }), 20);
    const finishedAt = Date.now();

    // nothing else finishes on the queue from here on: the short TTL must still be applied
    await waitFor('the short-lived result expires', async () => (await short.status()).state === 'PENDING', 20_000);
    const gone = Date.now() - finishedAt;
    assert.ok(gone >= 1500, `kept its own 2 s (gone after ${gone} ms)`);
    assert.ok(gone < 2000 + 5000 + 3000, `removed within its TTL plus a sweep interval (gone after ${gone} ms)`);
    assert.equal((await short.status()).result, undefined);

    for (const [i, h] of five.entries()) {
      const status = await h.status();
      assert.equal(status.state, 'SUCCESS', `task ${i + 1} keeps its result`);
      assert.equal(await h.result({ timeout: 1000 }), 2 * (i + 1));
      const again = await world.client.enqueue('add', [i + 1, i + 1], { idempotencyKey: `keep-${i + 1}` });
      assert.equal(again.enqueued, false, `idempotency key keep-${i + 1} stays closed`);
    }
    const reopened = await world.client.enqueue('add', [10, 10], { idempotencyKey: 'short', resultTTL: 2000 });
    assert.equal(reopened.enqueued, true, 'the expired task\'s key opens again, exactly when its own TTL says');
  });

  it('a failed task with failedTTL 1000 is forgotten on its own; a failure with the queue TTL stays', async () => {
    await world.workerProcess();
    const kept = await world.client.enqueue('declined', [1]);
    await kept.result({ timeout: 20_000 }).catch(() => undefined);
    const short = await world.client.enqueue('declined', [2], { failedTTL: 1000 });
    await short.result({ timeout: 20_000 }).catch(() => undefined);
    assert.equal((await short.status()).state, 'FAILURE');
    await waitFor('the short-lived failure expires', async () => (await short.status()).state === 'PENDING', 20_000);
    assert.equal((await kept.status()).state, 'FAILURE');
  });
});
