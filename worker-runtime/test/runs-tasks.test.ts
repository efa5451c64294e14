import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultTimeoutError, TaskFailedError } from '@taskyard/client';
import { TestWorld, waitFor } from './helpers.js';

describe('running tasks (defineTask, delay/apply_async, results)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('runs an enqueued task from the bundle and returns its result with state SUCCESS', async () => {
    await world.worker();
    const handle = await world.client.enqueue('add', [2, 3]);
    assert.equal(await handle.result({ timeout: 15_000 }), 5);
    const status = await handle.status();
    assert.equal(status.state, 'SUCCESS');
    assert.equal(status.name, 'add');
    assert.equal(status.result, 5);
  });

  it('never reports SUCCESS without the result, even when status is read as the task finishes', async () => {
    await world.worker({ concurrency: 4 });
    const handles = await Promise.all(Array.from({ length: 60 }, (_, i) => world.client.enqueue('add', [i, 1000])));
    // Poll every task as fast as possible so reads land while workers complete them.
    await Promise.all(
      handles.map(async (handle, i) => {
        for (;;) {
          const status = await handle.status();
          if (status.state === 'SUCCESS') {
            assert.equal(status.result, i + 1000, `task ${i} reported SUCCESS with result ${String(status.result)}`);
            return;
          }
          assert.ok(status.state === 'PENDING' || status.state === 'STARTED', `task ${i} went ${status.state}`);
        }
      }),
    );
  });

  it('passes kwargs as ctx.kwargs and reports attempt 1', async () => {
    await world.worker();
    const handle = await world.client.enqueue('echo', ['a', 1], { kwargs: { to: 'x@y.z' } });
    assert.deepEqual(await handle.result({ timeout: 15_000 }), { args: ['a', 1], kwargs: { to: 'x@y.z' }, attempt: 1 });
  });

  it('reports PENDING for a queued task and an unknown id, STARTED while it runs', async () => {
    const handle = await world.client.enqueue('sleep', [800]);
    assert.equal((await handle.status()).state, 'PENDING');
    assert.equal((await world.client.status('no-such-task')).state, 'PENDING');
    await world.worker();
    await waitState(handle.id, 'STARTED');
    assert.equal(await handle.result({ timeout: 15_000 }), 'slept');
  });

  it('rejects result() with the task error name, message and remote stack on FAILURE', async () => {
    await world.worker();
    const handle = await world.client.enqueue('declined', [42]);
    const err = await handle.result({ timeout: 15_000 }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'PaymentDeclined');
    assert.equal(err.message, 'card declined for 42');
    assert.match(err.remoteStack ?? '', /^PaymentDeclined: card declined for 42\n\s+at /);
    assert.equal((await handle.status()).state, 'FAILURE');
  });

  it('runs tasks with countdown only after the delay, and eta in the past right away', async () => {
    await world.worker();
    const delayed = await world.client.enqueue('add', [1, 1], { countdown: 1500 });
    const s = await delayed.status();
    assert.equal(s.state, 'PENDING');
    const now = await world.client.enqueue('add', [2, 2], { eta: new Date(Date.now() - 1000) });
    assert.equal(await now.result({ timeout: 15_000 }), 4);
    assert.equal(await delayed.result({ timeout: 15_000 }), 2);
    const done = await delayed.status();
    assert.ok((done.startedAt ?? 0) - (done.enqueuedAt ?? 0) >= 1500, 'started before its countdown');
  });

  it('keeps results for the queue policy resultTTL, then forgets them (PENDING, like Celery)', async () => {
    await world.setPolicy({ defaults: { resultTTL: '1s', failedTTL: '1s' } });
    await world.worker({ resyncMs: 300 });
    const ok = await world.client.enqueue('add', [1, 1]);
    const bad = await world.client.enqueue('declined', [1]);
    assert.equal(await ok.result({ timeout: 20_000 }), 2);
    await bad.result({ timeout: 20_000 }).catch(() => undefined);
    assert.equal((await ok.status()).state, 'SUCCESS');
    assert.equal((await bad.status()).state, 'FAILURE');
    await waitFor('results expired', async () => (await ok.status()).state === 'PENDING' && (await bad.status()).state === 'PENDING', 20_000);
    assert.equal((await ok.status()).result, undefined);
  });

  it('runs queued tasks by priority (1 first)', async () => {
    const journal = join(world.dir, 'priority.log');
    const five = await world.client.enqueue('journal', [journal, 0], { priority: 5 });
    const one = await world.client.enqueue('journal', [journal, 0], { priority: 1 });
    const three = await world.client.enqueue('journal', [journal, 0], { priority: 3 });
    await world.worker({ concurrency: 1, prefetch: 0 });
    await Promise.all([five, one, three].map((h) => h.result({ timeout: 20_000 })));
    const order = readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes(' start ')).map((l) => l.split(' ')[0]);
    assert.deepEqual(order, [one.id, three.id, five.id]);
  });

  it('result() gives up after its timeout with ResultTimeoutError, and the task can still finish later', async () => {
    const handle = await world.client.enqueue('add', [3, 4]);
    const err = await handle.result({ timeout: 300 }).catch((e: unknown) => e);
    assert.ok(err instanceof ResultTimeoutError);
    assert.equal(err.lastState, 'PENDING');
    await world.worker();
    assert.equal(await handle.result({ timeout: 20_000 }), 7);
  });

  async function waitState(id: string, state: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while ((await world.client.status(id)).state !== state) {
      if (Date.now() > deadline) assert.fail(`task ${id} never reached ${state}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
});
