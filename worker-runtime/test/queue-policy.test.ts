import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TestWorld, randomName, waitFor } from './helpers.js';

describe('queue policy from the operator (paused, rate limit, global concurrency) and multiple queues', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  async function setPolicy(queue: string, policy: unknown): Promise<void> {
    await world.setPolicy(policy, queue);
  }

  it('a paused queue accepts tasks but runs none until the policy resumes it', async () => {
    await setPolicy(world.queue, { paused: true });
    await world.worker();
    const handle = await world.client.enqueue('add', [1, 2]);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await handle.status()).state, 'PENDING');
    await setPolicy(world.queue, { paused: false });
    assert.equal(await handle.result({ timeout: 20_000 }), 3);
  });

  it('applies the queue-wide rate limit and global concurrency to the BullMQ queue', async () => {
    await setPolicy(world.queue, { rateLimit: { max: 5, duration: '1s' }, concurrency: 2 });
    await world.worker({ concurrency: 4 });
    const queue = world.client.queue(world.queue);
    await waitFor('global concurrency set', async () => (await queue.getGlobalConcurrency()) === 2);
    const limit = await queue.getGlobalRateLimit();
    assert.deepEqual(limit, { max: 5, duration: 1000 });
    // with global concurrency 2, never more than 2 run at once although the worker has 4 slots
    const handles = await world.client.enqueueBulk(Array.from({ length: 4 }, () => ({ name: 'slowAdd', args: [1, 1, 400] })));
    let maxActive = 0;
    const done = Promise.all(handles.map((h) => h.result({ timeout: 30_000 })));
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      maxActive = Math.max(maxActive, (await queue.getJobCounts('active')).active ?? 0);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(await done, [2, 2, 2, 2]);
    assert.ok(maxActive <= 2, `at most 2 active at once, saw ${maxActive}`);
  });

  it('rejects arguments over the policy maxPayloadBytes', async () => {
    await setPolicy(world.queue, { maxPayloadBytes: 100 });
    await assert.rejects(world.client.enqueue('echo', ['x'.repeat(200)]), /over the queue's maxPayloadBytes of 100/);
  });

  it('consumes several queues, serving the first queue first when slots are scarce', async () => {
    const low = randomName('low');
    const high = world.queue;
    const journal = join(world.dir, 'order.log');
    const worker = await world.worker({ queues: [high, low], concurrency: 1 });
    const blocker = await world.client.enqueue('journal', [journal, 600], { queue: low });
    await waitFor('blocker running', () => existsSync(journal));
    const lowTask = await world.client.enqueue('journal', [journal, 0], { queue: low });
    const highTask = await world.client.enqueue('journal', [journal, 0], { queue: high });
    await Promise.all([blocker.result({ timeout: 20_000 }), lowTask.result({ timeout: 20_000 }), highTask.result({ timeout: 20_000 })]);
    const starts = readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes(' start ')).map((l) => l.split(' ')[0]);
    assert.deepEqual(starts, [blocker.id, highTask.id, lowTask.id], 'the high-priority queue got the free slot first');
    await worker.close();
  });
});
